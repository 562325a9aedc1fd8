using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    internal static partial class Libc
    {
        /// <summary>geteuid(2): tells a missing privilege from a policy refusal when the kernel says EPERM.</summary>
        [LibraryImport(Name, EntryPoint = "geteuid")]
        internal static partial uint GetEffectiveUserId();
    }
}
