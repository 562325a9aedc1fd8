using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    internal static partial class Libc
    {
        [LibraryImport(Name, EntryPoint = "munmap", SetLastError = true)]
        internal static unsafe partial int Munmap(void* address, nuint length);
    }
}
