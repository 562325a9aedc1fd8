using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    internal static partial class Libc
    {
        internal const int F_DUPFD_CLOEXEC = 1030;

        /// <summary><c>fcntl(fd, cmd, int arg)</c> for the integer-argument commands.</summary>
        [LibraryImport(Name, EntryPoint = "fcntl", SetLastError = true)]
        internal static partial int Fcntl(int fd, int command, int argument);
    }
}
