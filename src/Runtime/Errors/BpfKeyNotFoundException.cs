using BpfSkeleton.Interop;

namespace BpfSkeleton
{
    /// <summary>A map lookup or delete found no element with the given key (ENOENT).</summary>
    public sealed class BpfKeyNotFoundException : BpfException
    {
        /// <summary>
        /// A lookup or delete in <paramref name="operation"/> (e.g. "look up element in map 'counts' (Hash)") that found no element; <see cref="BpfException.Errno"/> is ENOENT.
        /// </summary>
        public BpfKeyNotFoundException(string operation)
            : base(operation, Interop.Errno.ENOENT, "no element with this key")
        {
        }
    }
}
