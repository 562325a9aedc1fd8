using System;
using BpfSkeleton.Specs;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.ObjectModel;

/// <summary>Section names as libbpf reads them: sleepable tracepoints and optional (<c>SEC("?…")</c>) programs.</summary>
public class SectionNameTests
{
    [Theory]
    [InlineData("tp.s/syscalls/sys_enter_getppid", BpfProgramType.Tracepoint, BpfAttachType.None, "syscalls/sys_enter_getppid")]
    [InlineData("tracepoint.s/syscalls/sys_enter_getppid", BpfProgramType.Tracepoint, BpfAttachType.None, "syscalls/sys_enter_getppid")]
    [InlineData("raw_tp.s/sys_enter", BpfProgramType.RawTracepoint, BpfAttachType.None, "sys_enter")]
    [InlineData("raw_tracepoint.s/sys_enter", BpfProgramType.RawTracepoint, BpfAttachType.None, "sys_enter")]
    [InlineData("tp_btf.s/sys_enter", BpfProgramType.Tracing, BpfAttachType.TraceRawTp, "sys_enter")]
    public void SleepableTracepointsAreTheirTypeWithTheSleepableFlag(string section, BpfProgramType type, BpfAttachType attach, string target)
    {
        var spec = Program(section);
        Assert.Equal((type, attach, target), (spec.Type, spec.ExpectedAttachType, spec.AttachTarget));
        Assert.Equal(ProgramFlags.Sleepable, spec.Flags);
        Assert.True(spec.AutoLoad);
        Assert.Equal(ProgramFlags.None, Program(section.Replace(".s/", "/")).Flags); // the plain form stays non-sleepable
    }

    [Theory]
    [InlineData("?tp/syscalls/sys_enter_getppid", BpfProgramType.Tracepoint, "syscalls/sys_enter_getppid", ProgramFlags.None)]
    [InlineData("?tp.s/syscalls/sys_enter_getppid", BpfProgramType.Tracepoint, "syscalls/sys_enter_getppid", ProgramFlags.Sleepable)]
    [InlineData("?xdp.frags", BpfProgramType.Xdp, null, ProgramFlags.XdpHasFrags)]
    [InlineData("?syscall", BpfProgramType.Syscall, null, ProgramFlags.Sleepable)]
    public void OptionalSectionsKeepTheirTypeAndDoNotAutoload(string section, BpfProgramType type, string? target, ProgramFlags flags)
    {
        var spec = Program(section);
        Assert.Equal((type, target, flags), (spec.Type, spec.AttachTarget, spec.Flags));
        Assert.False(spec.AutoLoad);
        Assert.True(SectionTable.IsOptional(section));
    }

    [Fact]
    public void AQuestionMarkAloneIsNoProgramType() => Assert.Equal(BpfProgramType.Unspec, Program("?").Type);

    private static ProgramSpec Program(string section)
        => new("p", section, 1, 0, Array.Empty<BpfInstruction>(), SectionTable.Find(SectionTable.WithoutOptionalMark(section)), isSubprogram: false);
}
