using System;

namespace BpfSkeleton.PerfBuffer
{
    /// <summary>
    /// Receives one sample written by bpf_perf_event_output() on <paramref name="cpu"/>. The span is
    /// valid only during the call; the kernel pads raw samples, so it may be longer than what the
    /// program wrote (up to 7 bytes).
    /// </summary>
    public delegate void PerfSampleHandler(int cpu, ReadOnlySpan<byte> sample);

    /// <summary>Reports that the kernel dropped <paramref name="lostCount"/> samples on <paramref name="cpu"/> because its ring was full.</summary>
    public delegate void PerfLostHandler(int cpu, ulong lostCount);
}
