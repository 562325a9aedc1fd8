using System;
using BpfSkeleton.Interop;

namespace BpfSkeleton.Links
{
    /// <summary>
    /// What a perf_event program samples: a perf event type and config, sampled every
    /// <see cref="SamplePeriod"/> events or <see cref="SampleFrequency"/> times a second.
    /// </summary>
    public sealed class PerfEventConfig
    {
        /// <summary>PERF_TYPE_HARDWARE.</summary>
        public const uint TypeHardware = 0;
        /// <summary>PERF_TYPE_SOFTWARE.</summary>
        public const uint TypeSoftware = 1;
        /// <summary>PERF_COUNT_SW_CPU_CLOCK.</summary>
        public const ulong SoftwareCpuClock = 0;
        /// <summary>PERF_COUNT_SW_TASK_CLOCK.</summary>
        public const ulong SoftwareTaskClock = 1;
        /// <summary>PERF_COUNT_HW_CPU_CYCLES.</summary>
        public const ulong HardwareCpuCycles = 0;

        /// <summary>perf_event_attr.type (PERF_TYPE_*, or a dynamic PMU's type).</summary>
        public uint Type { get; init; }

        /// <summary>perf_event_attr.config: which event of the type.</summary>
        public ulong Config { get; init; }

        /// <summary>Run the program every this many events (0: use <see cref="SampleFrequency"/>).</summary>
        public ulong SamplePeriod { get; init; }

        /// <summary>Run the program this many times a second (perf adjusts the period).</summary>
        public ulong SampleFrequency { get; init; }

        /// <summary>The software CPU clock sampled <paramref name="frequency"/> times a second (works without hardware PMUs, e.g. in VMs).</summary>
        public static PerfEventConfig CpuClock(ulong frequency)
            => new() { Type = TypeSoftware, Config = SoftwareCpuClock, SampleFrequency = frequency };

        internal PerfEventAttr ToAttr()
        {
            if ((SamplePeriod == 0) == (SampleFrequency == 0))
                throw new ArgumentException("Set exactly one of SamplePeriod and SampleFrequency.");
            return new PerfEventAttr
            {
                Type = Type,
                Size = PerfEventAttr.SizeVer1,
                Config = Config,
                SamplePeriod = SampleFrequency != 0 ? SampleFrequency : SamplePeriod,
                Flags = SampleFrequency != 0 ? PerfEventAttr.FlagFreq : 0,
            };
        }
    }
}
