using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    internal static partial class Libc
    {
        /// <summary>
        /// <see cref="Syscall"/> without the GC transition: no P/Invoke frame is set up, which on this
        /// path costs more than anything else the runtime adds to a map element syscall (a per-call
        /// frame with a thread-local lookup, about 3 % of a hash lookup). While the call runs the thread
        /// stays in cooperative mode, so a GC waits for it to return: only for syscalls that finish in
        /// microseconds and never wait on anything (see <see cref="Sys.BpfShort"/>).
        /// </summary>
        [LibraryImport(Name, EntryPoint = "syscall")]
        [SuppressGCTransition]
        internal static partial nint SyscallWithoutTransition(nint number, nint arg1, nint arg2, nint arg3, nint arg4, nint arg5);
    }
}
