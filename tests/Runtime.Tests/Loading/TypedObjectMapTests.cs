using System;
using System.Linq;
using BpfSkeleton.Kernel;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Loading;

/// <summary>
/// The typed object map offers what the live map offers — elements, keys, batches, per-CPU values — with the
/// key and value types stated once, so users never write <c>.Map.Map</c> or restate a type.
/// </summary>
[Collection("Kernel")]
public class TypedObjectMapTests
{
    [KernelFact(BpfMapType.PerCpuArray)]
    public void EveryOperationOfTheLiveMapIsThereTyped()
    {
        using var obj = BpfObject.Open(TestObjects.PathOf("globals"));
        KernelRefusals.LeaveOut(obj);
        var counters = new BpfObjectMap<uint, ulong>(obj.Map("counters"));
        var percpu = new BpfObjectMap<uint, ulong>(obj.Map("percpu"));
        Assert.True(counters.AutoCreate);
        Assert.Equal(4u, counters.MaxEntries);
        Assert.False(counters.IsCreated);
        obj.Load();
        Assert.True(counters.IsCreated);

        counters.Update(1, 11);
        Assert.Equal(11ul, counters.Lookup(1));
        Assert.True(counters.TryLookup(1, out var value) && value == 11);
        Assert.Equal(new uint[] { 0, 1, 2, 3 }, counters.Keys().ToArray());

        Assert.Equal(2, counters.UpdateBatch(new uint[] { 2, 3 }, new ulong[] { 22, 33 }));
        var cursor = new BpfBatchCursor();
        var keys = new uint[4];
        var values = new ulong[4];
        Assert.Equal(4, counters.LookupBatch(ref cursor, keys, values));
        Assert.Equal(new ulong[] { 0, 11, 22, 33 }, values);

        var perCpu = Enumerable.Range(1, PossibleCpus.Count).Select(i => (ulong)i).ToArray();
        percpu.UpdatePerCpu(0, perCpu);
        var read = new ulong[PossibleCpus.Count];
        Assert.True(percpu.TryLookupPerCpu(0, read));
        Assert.Equal(perCpu, read);
        var batchCursor = new BpfBatchCursor();
        var batchKeys = new uint[1];
        var batchValues = new ulong[PossibleCpus.Count];
        Assert.Equal(1, percpu.LookupBatchPerCpu(ref batchCursor, batchKeys, batchValues));
        Assert.Equal(perCpu, batchValues);
    }
}

internal static class KeyEnumerableExtensions
{
    public static uint[] ToArray(this BpfMap.KeyEnumerable<uint> keys)
    {
        var list = new System.Collections.Generic.List<uint>();
        foreach (var key in keys) list.Add(key);
        return list.ToArray();
    }
}
