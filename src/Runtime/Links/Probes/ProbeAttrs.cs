using BpfSkeleton.Interop;
using BpfSkeleton.KernelFacts;

namespace BpfSkeleton.Links
{
    /// <summary>
    /// perf_event_attr for a kprobe or uprobe created through its PMU, laid out as libbpf does:
    /// config1 points at the function name (kprobe) or binary path (uprobe), config2 holds the
    /// offset (or, for a kprobe without a name, the address), config carries the return-probe bit
    /// and, for uprobes, the reference counter (USDT semaphore) offset in its upper 32 bits.
    /// </summary>
    internal static class ProbeAttrs
    {
        /// <summary>PERF_UPROBE_REF_CTR_OFFSET_SHIFT.</summary>
        internal const int RefCounterOffsetShift = 32;

        internal static PerfEventAttr Build(ProbePmu pmu, bool isReturn, ulong nameOrPathPointer, ulong offsetOrAddress, ulong refCounterOffset = 0)
        {
            ulong config = isReturn ? 1UL << pmu.RetprobeBit : 0;
            config |= refCounterOffset << RefCounterOffsetShift;
            return new PerfEventAttr
            {
                Type = pmu.Type,
                Size = PerfEventAttr.SizeVer1,
                Config = config,
                Config1 = nameOrPathPointer,
                Config2 = offsetOrAddress,
            };
        }

        /// <summary>
        /// perf_event_open's pid and cpu for a probe: a pid filter follows that process on any CPU;
        /// without one (pid -1) the event is opened on CPU 0, and the program still runs on every CPU.
        /// </summary>
        internal static (int Pid, int Cpu) Target(int processId) => processId < 0 ? (-1, 0) : (processId, -1);
    }
}
