using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Loading;

/// <summary>slots.bpf.o: prog array and map-in-map slots declared with __array(values, ...) initializers.</summary>
[Collection("Kernel")]
public class InitialSlotsLoadTests
{
    [KernelFact(BpfMapType.ProgArray, BpfProgramType.RawTracepoint)]
    public void ProgArraySlotIsTailCalled()
    {
        using var obj = BpfObject.Open(TestObjects.PathOf("slots"));
        obj.Load();
        var result = obj.Program("tail_entry").TestRun();
        Assert.Equal(7u, result.ReturnValue); // tail_target's return value
        Assert.Equal(42ul, obj.GlobalDataSection(".bss").Read<ulong>(obj.GlobalDataSection(".bss").Spec.FindVariable("tail_ran")!.Offset));
        Assert.Equal(0ul, obj.GlobalDataSection(".bss").Read<ulong>(obj.GlobalDataSection(".bss").Spec.FindVariable("after_tail_call")!.Offset));
        Assert.True(obj.Map("jump_table").Map.TryLookup(0u, out uint programId));
        Assert.Equal(obj.Program("tail_target").GetInfo().Id, programId);
    }

    [KernelFact(BpfMapType.ArrayOfMaps, BpfMapType.HashOfMaps, BpfProgramType.RawTracepoint)]
    public void MapInMapSlotsHoldTheInnerMaps()
    {
        using var obj = BpfObject.Open(TestObjects.PathOf("slots"));
        obj.Load();
        obj.Program("fill_inner").TestRun();
        Assert.Equal(1ul, obj.Map("inner_a").Map.Lookup<uint, ulong>(0u));
        Assert.Equal(110ul, obj.Map("inner_b").Map.Lookup<uint, ulong>(0u)); // outer_array[2] + outer_hash[5]
        Assert.True(obj.Map("outer_array").Map.TryLookup(2u, out uint innerId));
        Assert.Equal(obj.Map("inner_b").Map.GetInfo().Id, innerId);
        Assert.False(obj.Map("outer_array").Map.TryLookup(1u, out uint _));
    }
}
