using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    internal static partial class Libc
    {
        /// <summary><c>ioctl(fd, request, unsigned long arg)</c>.</summary>
        [LibraryImport(Name, EntryPoint = "ioctl", SetLastError = true)]
        internal static partial int Ioctl(int fd, nuint request, nuint argument);
    }
}
