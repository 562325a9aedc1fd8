using System;
using System.Runtime.InteropServices;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Loading;

/// <summary>libbpf's <c>SEC("?…")</c> programs: typed from the name after '?', skipped by Load() until asked for.</summary>
[Collection("Kernel")]
public partial class OptionalProgramTests
{
    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int GetParentProcessId();

    [KernelFact(BpfProgramType.Tracepoint)]
    public void AnOptionalProgramLoadsOnlyWhenAskedAndThenAttachesFromItsSection()
    {
        using (var skipped = Open())
        {
            var optional = skipped.Program("optional_tp");
            Assert.Equal(BpfProgramType.Tracepoint, optional.Type);
            Assert.False(optional.AutoLoad);
            Assert.True(skipped.Program("always_tp").AutoLoad);
            skipped.Load();
            Assert.False(optional.IsLoaded);
        }

        using var obj = Open();
        obj.Program("optional_tp").AutoLoad = true;
        obj.Load();
        obj.Attach();
        for (int i = 0; i < 3; i++) GetParentProcessId();
        var bss = obj.GlobalDataSection(".bss");
        Assert.Equal(3ul, MemoryMarshal.Read<ulong>(bss.Variable("optional_calls")));
        Assert.Equal(3ul, MemoryMarshal.Read<ulong>(bss.Variable("always_calls")));
    }

    [KernelFact(BpfProgramType.Tracepoint, nameof(FeatureProbes.SleepableTracepoints))]
    public void ASleepableTracepointLoadsAndCountsWhereTheKernelHasThem()
    {
        using var obj = Open();
        var sleepable = obj.Program("sleepable_tp");
        Assert.Equal(Specs.ProgramFlags.Sleepable, sleepable.Flags);
        sleepable.AutoLoad = true;
        obj.Load();
        obj.Attach();
        for (int i = 0; i < 3; i++) GetParentProcessId();
        Assert.Equal(3ul, MemoryMarshal.Read<ulong>(obj.GlobalDataSection(".bss").Variable("sleepable_calls")));
    }

    [KernelFact(BpfProgramType.Tracepoint)]
    public void TheSleepableProbeAgreesWithARealLoad()
    {
        using var obj = Open();
        obj.Program("sleepable_tp").AutoLoad = true;
        if (FeatureProbes.SleepableTracepoints.Supported)
        {
            obj.Load();
            Assert.True(obj.Program("sleepable_tp").IsLoaded);
        }
        else
        {
            var error = Assert.Throws<BpfVerifierException>(obj.Load);
            Assert.Contains("sleepable_tp", error.Message);
        }
    }

    private static BpfObject Open()
    {
        var obj = BpfObject.Open(TestObjects.PathOf("optional"));
        var bss = obj.GlobalDataSection(".bss");
        bss.Write(bss.Spec.FindVariable("target_tgid")!.Offset, Environment.ProcessId);
        return obj;
    }
}
