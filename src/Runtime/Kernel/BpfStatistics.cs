using BpfSkeleton.Handles;
using BpfSkeleton.Interop;

namespace BpfSkeleton.Kernel
{
    /// <summary>BPF_ENABLE_STATS: kernel-wide program run-time accounting.</summary>
    public static class BpfStatistics
    {
        private const uint RunTime = 0; // BPF_STATS_RUN_TIME

        /// <summary>
        /// Turns on run time and run count accounting (<see cref="BpfProgramInfo.RunTimeNanoseconds"/>)
        /// until the returned descriptor is disposed.
        /// </summary>
        public static BpfFileDescriptor EnableRunTime()
        {
            var fd = new BpfFileDescriptor();
            var attr = new SingleFdAttr { Value = RunTime };
            int result = Sys.Bpf(BpfCommand.EnableStats, ref attr);
            if (result < 0)
            {
                fd.Dispose();
                BpfErrors.Throw("enable BPF run-time statistics", -result);
            }
            fd.Adopt(result);
            return fd;
        }
    }
}
