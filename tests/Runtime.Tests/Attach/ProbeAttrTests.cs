using System;
using System.Runtime.InteropServices;
using BpfSkeleton.Interop;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Links;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Attach;

/// <summary>perf_event and link_create attrs for probes are built as libbpf builds them.</summary>
public class ProbeAttrTests
{
    private static readonly ProbePmu Kprobe = new("kprobe", type: 6, retprobeBit: 0);
    private static readonly ProbePmu Uprobe = new("uprobe", type: 8, retprobeBit: 0);

    [Fact]
    public void KprobeAttrNamesTheFunctionAndOffset()
    {
        PerfEventAttr attr = ProbeAttrs.Build(Kprobe, isReturn: false, nameOrPathPointer: 0x1234_5678, offsetOrAddress: 0x10);
        Assert.Equal(6u, attr.Type);
        Assert.Equal(72u, attr.Size);
        Assert.Equal(0ul, attr.Config);
        Assert.Equal(0x1234_5678ul, attr.Config1);
        Assert.Equal(0x10ul, attr.Config2);
        Assert.Equal(0ul, attr.SamplePeriod);
        Assert.Equal(0ul, attr.Flags);
    }

    [Fact]
    public void ReturnProbesSetThePmuRetprobeBit()
    {
        Assert.Equal(1ul, ProbeAttrs.Build(Kprobe, isReturn: true, 1, 0).Config);
        var high = new ProbePmu("kprobe", 6, retprobeBit: 5);
        Assert.Equal(1ul << 5, ProbeAttrs.Build(high, isReturn: true, 1, 0).Config);
    }

    [Fact]
    public void UprobeAttrCarriesPathOffsetAndReferenceCounter()
    {
        PerfEventAttr attr = ProbeAttrs.Build(Uprobe, isReturn: true, nameOrPathPointer: 0xABC, offsetOrAddress: 0x1130, refCounterOffset: 0x4010);
        Assert.Equal(8u, attr.Type);
        Assert.Equal(0xABCul, attr.Config1);
        Assert.Equal(0x1130ul, attr.Config2);
        Assert.Equal((0x4010ul << 32) | 1, attr.Config);
    }

    [Fact]
    public void ProbeTargets()
    {
        Assert.Equal((-1, 0), ProbeAttrs.Target(-1));   // every process: opened on CPU 0, runs everywhere
        Assert.Equal((4242, -1), ProbeAttrs.Target(4242)); // one process, any CPU
    }

    [Theory]
    [InlineData("config:0\n", 0)]
    [InlineData("config:32-63", 32)]
    [InlineData("config:7", 7)]
    public void PmuFormatBits(string format, int bit) => Assert.Equal(bit, ProbePmu.ParseConfigBit(format));

    [Theory]
    [InlineData("config1:0")]
    [InlineData("config:x")]
    [InlineData("config:64")]
    public void BadPmuFormats(string format) => Assert.Throws<FormatException>(() => ProbePmu.ParseConfigBit(format));

    [Fact]
    public void KprobeMultiLinkAttr()
    {
        LinkCreateAttr attr = KprobeMultiLink.BuildAttr(BpfAttachType.TraceKProbeMulti, symbols: 0x1000, addresses: 0, cookies: 0x3000, count: 3, isReturn: true);
        Assert.Equal((uint)BpfAttachType.TraceKProbeMulti, attr.AttachType);
        Assert.Equal(1u, attr.KprobeMultiFlags); // BPF_F_KPROBE_MULTI_RETURN
        Assert.Equal(3u, attr.KprobeMultiCount);
        Assert.Equal(0x1000ul, attr.KprobeMultiSymbols);
        Assert.Equal(0ul, attr.KprobeMultiAddresses);
        Assert.Equal(0x3000ul, attr.KprobeMultiCookies);
        Assert.Equal(0u, KprobeMultiLink.BuildAttr(BpfAttachType.TraceKProbeMulti, 1, 0, 0, 1, isReturn: false).KprobeMultiFlags);
    }

    [Fact]
    public void UprobeMultiLinkAttr()
    {
        LinkCreateAttr attr = UprobeMultiLink.BuildAttr(BpfAttachType.TraceUProbeMulti, path: 0x10, offsets: 0x20, refCounterOffsets: 0x30, cookies: 0x40, count: 2, isReturn: true, processId: 77);
        Assert.Equal((uint)BpfAttachType.TraceUProbeMulti, attr.AttachType);
        Assert.Equal((0x10ul, 0x20ul, 0x30ul, 0x40ul), (attr.UprobeMultiPath, attr.UprobeMultiOffsets, attr.UprobeMultiRefCounterOffsets, attr.UprobeMultiCookies));
        Assert.Equal((2u, 1u, 77u), (attr.UprobeMultiCount, attr.UprobeMultiFlags, attr.UprobeMultiPid));
        Assert.Equal(0u, UprobeMultiLink.BuildAttr(BpfAttachType.TraceUProbeMulti, 1, 1, 0, 0, 1, false, processId: -1).UprobeMultiPid);
    }

    /// <summary>Offsets of the union members in the 6.18 UAPI's link_create.</summary>
    [Theory]
    [InlineData(nameof(LinkCreateAttr.KprobeMultiFlags), 16)]
    [InlineData(nameof(LinkCreateAttr.KprobeMultiCount), 20)]
    [InlineData(nameof(LinkCreateAttr.KprobeMultiSymbols), 24)]
    [InlineData(nameof(LinkCreateAttr.KprobeMultiAddresses), 32)]
    [InlineData(nameof(LinkCreateAttr.KprobeMultiCookies), 40)]
    [InlineData(nameof(LinkCreateAttr.UprobeMultiPath), 16)]
    [InlineData(nameof(LinkCreateAttr.UprobeMultiOffsets), 24)]
    [InlineData(nameof(LinkCreateAttr.UprobeMultiRefCounterOffsets), 32)]
    [InlineData(nameof(LinkCreateAttr.UprobeMultiCookies), 40)]
    [InlineData(nameof(LinkCreateAttr.UprobeMultiCount), 48)]
    [InlineData(nameof(LinkCreateAttr.UprobeMultiFlags), 52)]
    [InlineData(nameof(LinkCreateAttr.UprobeMultiPid), 56)]
    [InlineData(nameof(LinkCreateAttr.NetfilterProtocolFamily), 16)]
    [InlineData(nameof(LinkCreateAttr.NetfilterHook), 20)]
    [InlineData(nameof(LinkCreateAttr.NetfilterPriority), 24)]
    [InlineData(nameof(LinkCreateAttr.NetfilterFlags), 28)]
    public void LinkCreateUnionOffsets(string field, int offset)
        => Assert.Equal(offset, (int)Marshal.OffsetOf<LinkCreateAttr>(field));

    [Theory]
    [InlineData("getppid", Architecture.X64, true, "__x64_sys_getppid")]
    [InlineData("openat", Architecture.Arm64, true, "__arm64_sys_openat")]
    [InlineData("getppid", Architecture.S390x, true, "__s390x_sys_getppid")]
    [InlineData("getppid", Architecture.X64, false, "__se_sys_getppid")]
    [InlineData("getppid", Architecture.Wasm, true, "__se_sys_getppid")]
    public void SyscallFunctionNames(string syscall, Architecture architecture, bool wrappers, string expected)
        => Assert.Equal(expected, SyscallFunctions.KernelFunctionFor(syscall, architecture, wrappers));

    [Fact]
    public void ThisKernelUsesSyscallWrappers()
    {
        // Every x86-64 kernel since 4.17 enters syscalls through __x64_sys_*; kallsyms lists them.
        Assert.Equal("__x64_sys_getppid", SyscallFunctions.KernelFunctionFor("getppid"));
    }

    [Fact]
    public void PerfEventConfigs()
    {
        PerfEventAttr clock = PerfEventConfig.CpuClock(999).ToAttr();
        Assert.Equal((PerfEventConfig.TypeSoftware, PerfEventConfig.SoftwareCpuClock), (clock.Type, clock.Config));
        Assert.Equal(999ul, clock.SamplePeriod);
        Assert.Equal(1ul << 10, clock.Flags); // freq
        PerfEventAttr period = new PerfEventConfig { Type = PerfEventConfig.TypeHardware, Config = PerfEventConfig.HardwareCpuCycles, SamplePeriod = 100_000 }.ToAttr();
        Assert.Equal((100_000ul, 0ul), (period.SamplePeriod, period.Flags));
        Assert.Throws<ArgumentException>(() => new PerfEventConfig { SamplePeriod = 1, SampleFrequency = 1 }.ToAttr());
        Assert.Throws<ArgumentException>(() => new PerfEventConfig().ToAttr());
    }
}
