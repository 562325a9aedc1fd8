using System.Linq;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Specs;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.ObjectModel;

/// <summary>
/// libbpf 1.8's fsession and tracing multi sections open as tracing programs of their attach type (they were
/// unknown sections before). The multi forms name a pattern, so no BTF id is looked up for them at load.
/// </summary>
public class TracingSessionSectionTests
{
    [Theory]
    [InlineData("session", BpfAttachType.TraceFSession, ProgramFlags.None, "bpf_fentry_test1", true)]
    [InlineData("session_sleepable", BpfAttachType.TraceFSession, ProgramFlags.Sleepable, "bpf_fentry_test1", true)]
    [InlineData("entry_multi", BpfAttachType.TraceFEntryMulti, ProgramFlags.None, "bpf_fentry_test*", false)]
    [InlineData("exit_multi", BpfAttachType.TraceFExitMulti, ProgramFlags.None, "bpf_fentry_test*", false)]
    [InlineData("session_multi", BpfAttachType.TraceFSessionMulti, ProgramFlags.None, "bpf_fentry_test*", false)]
    [InlineData("entry_multi_sleepable", BpfAttachType.TraceFEntryMulti, ProgramFlags.Sleepable, "bpf_fentry_test1", false)]
    [InlineData("exit_multi_sleepable", BpfAttachType.TraceFExitMulti, ProgramFlags.Sleepable, "bpf_fentry_test1", false)]
    [InlineData("session_multi_sleepable", BpfAttachType.TraceFSessionMulti, ProgramFlags.Sleepable, "bpf_fentry_test1", false)]
    [InlineData("entry_multi_untargeted", BpfAttachType.TraceFEntryMulti, ProgramFlags.None, null, false)]
    public void SessionAndMultiSectionsAreTracingPrograms(string name, BpfAttachType attach, ProgramFlags flags, string? target, bool needsBtfId)
    {
        var spec = BpfObjectSpec.Parse(TestObjects.Bytes("tracing_sessions"), "tracing_sessions.bpf.o");
        var program = spec.Programs.Single(p => p.Name == name);
        Assert.Equal((BpfProgramType.Tracing, attach, flags, target), (program.Type, program.ExpectedAttachType, program.Flags, program.AttachTarget));
        Assert.Equal(needsBtfId, program.Definition!.NeedsAttachBtfId);
    }

    /// <summary>A prefix match alone is not enough: "fentry.multi" must not be read as fentry with a target.</summary>
    [Theory]
    [InlineData("fentry.multi/f", "fentry.multi+")]
    [InlineData("fentry/f", "fentry+")]
    [InlineData("fsession.multi.s/f", "fsession.multi.s+")]
    [InlineData("fsession.s/f", "fsession.s+")]
    public void TheMostSpecificDefinitionWins(string section, string definition)
        => Assert.Equal(definition, SectionTable.Find(section)!.ToString());
}
