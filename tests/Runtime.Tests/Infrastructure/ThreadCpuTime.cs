using System;
using System.Runtime.InteropServices;

namespace BpfSkeleton.Runtime.Tests.Infrastructure;

/// <summary>
/// The calling thread's CPU time (CLOCK_THREAD_CPUTIME_ID). Tests that expect the kernel to sample a busy
/// thread measure the thread's CPU time, not wall time: on a loaded machine a thread gets a share of a core.
/// </summary>
public static partial class ThreadCpuTime
{
    private const int ClockThreadCpuTimeId = 3;

    public static TimeSpan Now()
    {
        if (ClockGetTime(ClockThreadCpuTimeId, out var time) != 0)
            throw new InvalidOperationException($"clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed: errno {Marshal.GetLastPInvokeError()}");
        return TimeSpan.FromTicks(time.Seconds * TimeSpan.TicksPerSecond + time.Nanoseconds / 100);
    }

    /// <summary>Spins until this thread has run for <paramref name="cpu"/>, or <paramref name="timeout"/> of wall time passed.</summary>
    public static void Spin(TimeSpan cpu, TimeSpan timeout)
    {
        var start = Now();
        var wall = System.Diagnostics.Stopwatch.StartNew();
        while (Now() - start < cpu)
            if (wall.Elapsed > timeout)
                throw new TimeoutException($"the thread got {(Now() - start).TotalMilliseconds:F0} ms of CPU in {timeout.TotalSeconds} s");
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    private static partial int ClockGetTime(int clock, out Timespec time);
}
