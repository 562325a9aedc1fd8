using System;
using BpfSkeleton.Kernel;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Loading;

/// <summary>Loads globals.bpf.o and proves relocations by running its programs on the real kernel.</summary>
[Collection("Kernel")]
public class GlobalsLoadTests
{
    [Kernel.KernelFact(BpfProgramType.Syscall)]
    public void SyscallProgramSeesGlobalDataMapsAndSubprograms()
    {
        using var obj = BpfObject.Open(TestObjects.PathOf("globals"));
        Kernel.KernelRefusals.LeaveOut(obj);
        // rodata is editable before load and becomes a verifier constant after.
        obj.GlobalDataSection(".rodata").Write(0, 5u);
        obj.Load();

        var result = obj.Program("run_globals").TestRun();
        Assert.Equal(5u, result.ReturnValue); // scale(1) with the multiplier we set

        var bss = obj.GlobalDataSection(".bss");
        Assert.Equal(1ul, bss.Read<ulong>(0));           // bss_counter
        Assert.Equal(42 * 5, bss.Read<int>(8));          // bss_point.x = scale(data_value)
        Assert.Equal(7 + 11, bss.Read<int>(12));         // custom .data + custom .rodata
        Assert.Equal(45ul, obj.GlobalDataSection(".data.custom").Read<ulong>(0)); // bpf_loop callback sum 0..9

        Assert.True(obj.Map("counters").Map.TryLookup(0u, out ulong count));
        Assert.Equal(1ul, count);
        Assert.True(obj.Map("points").Map.TryLookup(0u, out long point));
        Assert.Equal(42 * 5, (int)point);
    }

    [Kernel.KernelFact(BpfProgramType.Syscall)]
    public void BssWrittenBeforeLoadReachesTheKernel()
    {
        // As libbpf's skeletons: .bss starts as zeros, but what the user sets before load is kept.
        using var obj = BpfObject.Open(TestObjects.PathOf("globals"));
        Kernel.KernelRefusals.LeaveOut(obj);
        obj.GlobalDataSection(".bss").Write(0, 41ul); // bss_counter
        obj.Load();
        obj.Program("run_globals").TestRun();
        Assert.Equal(42ul, obj.GlobalDataSection(".bss").Read<ulong>(0));
    }

    [Kernel.KernelFact(BpfProgramType.Syscall)]
    public void CSharpWritesThroughTheMappingAreSeenByPrograms()
    {
        using var obj = BpfObject.Open(TestObjects.PathOf("globals"));
        Kernel.KernelRefusals.LeaveOut(obj);
        obj.Load();
        obj.GlobalDataSection(".data").Write(0, 10u); // data_value
        obj.Program("run_globals").TestRun();
        Assert.Equal(30, obj.GlobalDataSection(".bss").Read<int>(8));
    }

    [Kernel.KernelFact(nameof(FeatureProbes.MmapableArray))]
    public void SectionsAreMappedOnFirstUseAndUnmappedAtDispose()
    {
        int before = MappedBpfMaps();
        var obj = BpfObject.Open(TestObjects.PathOf("globals"));
        Kernel.KernelRefusals.LeaveOut(obj);
        obj.Load();
        Assert.Equal(before, MappedBpfMaps()); // load maps nothing

        Assert.Equal(0ul, obj.GlobalDataSection(".bss").Read<ulong>(0));
        Assert.Equal(before + 1, MappedBpfMaps());
        obj.GlobalDataSection(".bss").Write(0, 9ul); // the same mapping serves writes
        Assert.Equal(9ul, obj.GlobalDataSection(".bss").Read<ulong>(0));
        Assert.Equal(before + 1, MappedBpfMaps());
        Assert.Equal(3u, obj.GlobalDataSection(".rodata").Read<uint>(0));
        Assert.Equal(before + 2, MappedBpfMaps());

        obj.Dispose();
        Assert.Equal(before, MappedBpfMaps());
    }

    private static int MappedBpfMaps()
    {
        int count = 0;
        foreach (var line in System.IO.File.ReadLines("/proc/self/maps"))
            if (line.EndsWith("anon_inode:bpf-map", StringComparison.Ordinal)) count++;
        return count;
    }

    [Kernel.KernelFact]
    public void ReadOnlyDataRejectsWritesAfterLoad()
    {
        using var obj = BpfObject.Open(TestObjects.PathOf("globals"));
        Kernel.KernelRefusals.LeaveOut(obj);
        obj.Load();
        var error = Assert.Throws<InvalidOperationException>(() => obj.GlobalDataSection(".rodata").Write(0, 1u));
        Assert.Contains("read-only after Load()", error.Message);
        Assert.Equal(3u, obj.GlobalDataSection(".rodata").Read<uint>(0));
    }

    [Kernel.KernelFact]
    public void OpensFromMemoryWithAChosenObjectName()
    {
        using var obj = BpfObject.Open(System.IO.File.ReadAllBytes(TestObjects.PathOf("globals")), new BpfOpenOptions { ObjectName = "mem" });
        Kernel.KernelRefusals.LeaveOut(obj);
        Assert.Equal("mem.bss", obj.GlobalDataSection(".bss").Map.Name);
        obj.Load();
        Assert.Equal("mem.bss", obj.GlobalDataSection(".bss").Map.Map.Name);
    }
}
