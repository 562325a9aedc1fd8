namespace BpfSkeleton
{
    /// <summary>A map lookup or delete found no element with the given key (ENOENT).</summary>
    public sealed class BpfKeyNotFoundException : BpfException
    {
        public BpfKeyNotFoundException(string operation)
            : base(operation, Interop.Errno.ENOENT, "no element with this key")
        {
        }
    }
}
