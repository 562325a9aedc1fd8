using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    internal static partial class Libc
    {
        /// <summary>
        /// <c>long syscall(long number, ...)</c>. Integer varargs are passed in the same registers as
        /// fixed arguments on x86_64 and arm64 Linux, so a fixed six-argument signature is safe;
        /// unused trailing arguments are ignored by the kernel.
        /// </summary>
        [LibraryImport(Name, EntryPoint = "syscall", SetLastError = true)]
        internal static partial nint Syscall(nint number, nint arg1, nint arg2, nint arg3, nint arg4, nint arg5);
    }
}
