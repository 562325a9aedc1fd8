using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    /// <summary>
    /// The leading part of <c>struct perf_event_attr</c> up to config2 (PERF_ATTR_SIZE_VER1, 72 bytes);
    /// the kernel accepts this size and treats later fields as zero.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PerfEventAttr
    {
        internal const uint SizeVer1 = 72;
        internal const uint TypeTracepoint = 2;
        internal const ulong FlagFdCloexec = 1UL << 3;
        /// <summary>The attr bitfield's "freq" bit: SamplePeriod holds a frequency.</summary>
        internal const ulong FlagFreq = 1UL << 10;
        // ioctl requests: _IO('$', 0), _IOW('$', 8, __u32).
        internal const nuint IocEnable = 0x2400;
        internal const nuint IocSetBpf = 0x40042408;

        public uint Type;
        public uint Size;
        public ulong Config;
        public ulong SamplePeriod;
        public ulong SampleType;
        public ulong ReadFormat;
        /// <summary>The bitfield word (disabled, inherit, pinned, ...).</summary>
        public ulong Flags;
        public uint WakeupEvents;
        public uint BpType;
        public ulong Config1;
        public ulong Config2;
    }
}
