using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    internal static partial class Libc
    {
        [LibraryImport(Name, EntryPoint = "getpagesize")]
        internal static partial int GetPageSize();
    }
}
