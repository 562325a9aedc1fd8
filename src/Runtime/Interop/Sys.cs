using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    /// <summary>
    /// The single chokepoint for the bpf(2) syscall and the other kernel calls the runtime makes.
    /// Every method returns the kernel's result, or <c>-errno</c> on failure, so the errno is
    /// captured in the same statement as the call and nothing can clobber it in between.
    /// </summary>
    internal static unsafe class Sys
    {
        private const int MaxEagainRetries = 5;

        /// <summary>bpf(cmd, attr, size). Returns the result (often a new fd) or <c>-errno</c>.</summary>
        internal static int Bpf(BpfCommand command, void* attr, uint size)
        {
            if (!BpfSyscallTimer.Enabled)
                return BpfUntimed(command, attr, size);
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            int result = BpfUntimed(command, attr, size);
            BpfSyscallTimer.Record(start);
            return result;
        }

        private static int BpfUntimed(BpfCommand command, void* attr, uint size)
        {
            int attempts = 0;
            while (true)
            {
                nint result = Libc.Syscall(SyscallNumbers.Bpf, (nint)command, (nint)attr, (nint)size, 0, 0);
                if (result >= 0)
                    return (int)result;
                int errno = Marshal.GetLastSystemError(); // see Libc.Syscall
                if (errno == Errno.EINTR)
                    continue;
                // PROG_LOAD can transiently fail with EAGAIN while the kernel is under memory pressure.
                if (errno == Errno.EAGAIN && command == BpfCommand.ProgLoad && ++attempts < MaxEagainRetries)
                    continue;
                return -errno;
            }
        }

        /// <summary>bpf(cmd, &amp;attr, sizeof(attr)) for a typed attr struct.</summary>
        internal static int Bpf<TAttr>(BpfCommand command, ref TAttr attr) where TAttr : unmanaged
        {
            fixed (TAttr* pointer = &attr)
                return Bpf(command, pointer, (uint)sizeof(TAttr));
        }

        /// <summary>perf_event_open(attr, pid, cpu, group_fd, flags). Returns an fd or <c>-errno</c>.</summary>
        internal static int PerfEventOpen(PerfEventAttr* attr, int pid, int cpu, int groupFd, ulong flags)
        {
            nint result = Libc.Syscall(SyscallNumbers.PerfEventOpen, (nint)attr, pid, cpu, groupFd, (nint)flags);
            return result >= 0 ? (int)result : -Marshal.GetLastSystemError(); // see Libc.Syscall
        }

        /// <summary>ioctl(fd, request, arg). Returns the result or <c>-errno</c>.</summary>
        internal static int Ioctl(int fd, nuint request, nuint argument)
        {
            int result = Libc.Ioctl(fd, request, argument);
            return result >= 0 ? result : -Marshal.GetLastPInvokeError();
        }

        /// <summary>open(path, flags). Returns an fd or <c>-errno</c>.</summary>
        internal static int Open(string path, int flags)
        {
            int result = Libc.Open(path, flags, 0);
            return result >= 0 ? result : -Marshal.GetLastPInvokeError();
        }
    }
}
