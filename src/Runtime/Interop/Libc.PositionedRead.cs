using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    internal static partial class Libc
    {
        [LibraryImport(Name, EntryPoint = "pread", SetLastError = true)]
        internal static unsafe partial nint PositionedRead(int fd, void* buffer, nuint count, long offset);
    }
}
