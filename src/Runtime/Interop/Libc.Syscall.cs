using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    internal static partial class Libc
    {
        /// <summary>
        /// <c>long syscall(long number, ...)</c>. Integer varargs are passed in the same registers as
        /// fixed arguments on x86_64 and arm64 Linux, so a fixed six-argument signature is safe;
        /// unused trailing arguments are ignored by the kernel.
        /// No SetLastError: callers read errno with <see cref="Marshal.GetLastSystemError"/> right after a
        /// negative result, exactly where SetLastError's generated code reads it, but without the two errno
        /// calls and the thread-static write it makes on every success (map operations are hot).
        /// </summary>
        [LibraryImport(Name, EntryPoint = "syscall")]
        internal static partial nint Syscall(nint number, nint arg1, nint arg2, nint arg3, nint arg4, nint arg5);
    }
}
