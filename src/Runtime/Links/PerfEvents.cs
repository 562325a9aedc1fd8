using BpfSkeleton.Handles;
using BpfSkeleton.Interop;

namespace BpfSkeleton.Links
{
    /// <summary>perf_event_open with the runtime's error reporting.</summary>
    internal static unsafe class PerfEvents
    {
        /// <summary>Opens a perf event (close-on-exec) and returns its owned descriptor.</summary>
        internal static BpfFileDescriptor Open(PerfEventAttr attr, int pid, int cpu, string operation, string? hint = null)
        {
            var perfEvent = new BpfFileDescriptor();
            int result = Sys.PerfEventOpen(&attr, pid, cpu, -1, PerfEventAttr.FlagFdCloexec);
            if (result < 0)
            {
                perfEvent.Dispose();
                BpfErrors.Throw(operation, -result, hint: hint ?? Hint(-result));
            }
            perfEvent.Adopt(result);
            return perfEvent;
        }

        private static string? Hint(int errno) => errno switch
        {
            Errno.EPERM or Errno.EACCES => "needs CAP_PERFMON or root (and kernel.perf_event_paranoid permitting)",
            Errno.ESRCH => "no such process",
            Errno.ENOENT => "the probed file, function or event does not exist",
            _ => null,
        };
    }
}
