using BpfSkeleton.Kernel;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Loading;

/// <summary>Global data maps are mmapable exactly where libbpf makes them so: a section with a variable user space can see.</summary>
[Collection("Kernel")]
public class GlobalDataFlagsTests
{
    [KernelFact(BpfProgramType.Syscall, nameof(FeatureProbes.MmapableArray))]
    public void OnlySectionsWithVisibleVariablesAreMmapable()
    {
        using var obj = BpfObject.Open(TestObjects.PathOf("hidden_globals"));
        obj.Load();
        var data = obj.GlobalDataSection(".data");              // visible_counter (and a __hidden one)
        var onlyStatic = obj.GlobalDataSection(".data.private"); // a static variable only
        Assert.True((data.Map.Map.Info.Flags & BpfMapFlags.Mmapable) != 0);
        Assert.True((onlyStatic.Map.Map.Info.Flags & BpfMapFlags.Mmapable) == 0);

        obj.Program("bump").TestRun();
        Assert.Equal(1UL + 2 + 3, data.Read<ulong>(data.Spec.FindVariable("visible_counter")!.Offset)); // live, mapped
        Assert.Contains("not mapped", Assert.Throws<System.InvalidOperationException>(() => onlyStatic.Write(0, 1UL)).Message);
    }
}
