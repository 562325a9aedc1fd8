using System;
using System.Diagnostics;
using System.Threading;

namespace BpfSkeleton.Interop
{
    /// <summary>
    /// Opt-in count and wall time of every bpf(2) call made through <see cref="Sys.Bpf(BpfCommand, void*, uint)"/>,
    /// so benchmarks can split a phase into kernel time (the floor no loader avoids) and
    /// user-space time. Off unless BPFSKELETON_TIME_BPF=1 is set when the process starts; when
    /// off, the only cost is one read of a static readonly field the JIT folds to a constant.
    /// </summary>
    internal static class BpfSyscallTimer
    {
        internal static readonly bool Enabled = Environment.GetEnvironmentVariable("BPFSKELETON_TIME_BPF") == "1";

        private static long s_calls;
        private static long s_ticks;

        /// <summary>Calls and total time inside bpf(2) since the process started.</summary>
        internal static (long Calls, TimeSpan Elapsed) Totals
            => (Volatile.Read(ref s_calls), Stopwatch.GetElapsedTime(0, Volatile.Read(ref s_ticks)));

        internal static void Record(long startTimestamp)
        {
            Interlocked.Add(ref s_ticks, Stopwatch.GetTimestamp() - startTimestamp);
            Interlocked.Increment(ref s_calls);
        }
    }
}
