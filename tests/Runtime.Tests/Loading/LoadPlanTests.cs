using System.Linq;
using BpfSkeleton.Loading;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Loading;

/// <summary>
/// One load pipeline, two back-ends: the plan is the same whichever back-end performs it, a recording back-end
/// sees every kernel operation with its references symbolic, and alone it creates nothing in the kernel.
/// </summary>
[Collection("Kernel")]
public class LoadPlanTests
{
    [KernelTheory]
    [MemberData(nameof(LoadEveryObjectTests.LoadableObjects), MemberType = typeof(LoadEveryObjectTests))]
    public void TheRecordedPlanIsWhatTheLiveLoadPerforms(string name)
    {
        using var pins = new TempPinDirectory();
        var options = new BpfOpenOptions { PinRoot = pins.Path };

        var leaks = new LeakCheck();
        var recorded = new RecordingBackend();
        using (var obj = BpfObject.Open(TestObjects.PathOf(name), options))
        {
            KernelRefusals.LeaveOut(obj);
            ObjectLoader.Run(obj, new LoadPlan(obj), recorded);
        }
        leaks.AssertNothingLeaked(); // the recorder alone made no kernel object

        using var live = BpfObject.Open(TestObjects.PathOf(name), options);
        KernelRefusals.LeaveOut(live);
        var plan = new LoadPlan(live);
        using var state = new LoadedState(live, plan);
        var teed = new RecordingBackend(new LiveBackend(live, state));
        ObjectLoader.Run(live, plan, teed);

        Assert.Equal(recorded.Operations, teed.Operations);
        Assert.All(live.Programs.Where(p => state.Programs[p.Index] is not null), p => Assert.Contains(teed.Operations, o => o.Contains($"'{p.Name}'")));
    }

    [KernelFact]
    public void TheRecordingNamesEveryKernelObjectByReference()
    {
        using var obj = BpfObject.Open(TestObjects.PathOf("globals"));
        KernelRefusals.LeaveOut(obj);
        var recorder = new RecordingBackend();
        ObjectLoader.Run(obj, new LoadPlan(obj), recorder);
        var ops = recorder.Operations;

        Assert.StartsWith("load BTF", ops[0]); // the object's BTF first: maps and programs refer to it
        var creates = ops.Where(o => o.StartsWith("create map", System.StringComparison.Ordinal)).ToList();
        Assert.Equal(obj.Maps.Count(m => m.AutoCreate), creates.Count);
        Assert.Contains(ops, o => o.StartsWith("data map", System.StringComparison.Ordinal) && o.EndsWith("frozen", System.StringComparison.Ordinal)); // .rodata
        Assert.True(ops.FindIndex(o => o.StartsWith("load program", System.StringComparison.Ordinal)) > ops.FindLastIndex(o => o.StartsWith("data map", System.StringComparison.Ordinal)),
            "programs load after every map holds its data");
        // Every map a program's code refers to is a map of this object, named by index; no fd is in the code.
        Assert.NotEmpty(recorder.Fixups);
        Assert.All(recorder.Fixups, f => Assert.Equal(KernelRefKind.Map, f.Target.Kind));
        Assert.All(recorder.Fixups, f => Assert.InRange(f.Target.Index, 0, obj.Maps.Count - 1));
    }
}
