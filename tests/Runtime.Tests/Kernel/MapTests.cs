using System;
using System.Collections.Generic;
using System.Linq;
using BpfSkeleton.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Kernel;

[Collection("Kernel")]
public class MapTests
{
    [KernelFact]
    public void CreateReportsInfoFromTheKernel()
    {
        using var map = BpfMap.Create(new BpfMapCreateOptions
        {
            Type = BpfMapType.Hash, Name = "a-very-long-map-name!", KeySize = 4, ValueSize = 8, MaxEntries = 16,
            Flags = BpfMapFlags.NoPrealloc,
        });
        Assert.Equal("a_very_long_map", map.Name); // sanitized, cut at 15
        Assert.Equal(BpfMapType.Hash, map.Type);
        Assert.Equal(4u, map.KeySize);
        Assert.Equal(8u, map.ValueSize);
        Assert.Equal(16u, map.MaxEntries);
        Assert.Equal(BpfMapFlags.NoPrealloc, map.Flags);
        Assert.NotEqual(0u, map.Id);
        Assert.True(map.Fd.DangerousGetFd() > 0);

        using var reopened = BpfMap.FromId(map.Id);
        Assert.Equal(map.Info, reopened.GetInfo());
    }

    [KernelFact]
    public void TypedHashOperations()
    {
        using var map = BpfMap.Create(new BpfMapCreateOptions { Type = BpfMapType.Hash, KeySize = 4, ValueSize = 8, MaxEntries = 8 });
        Assert.False(map.TryLookup(7, out long _));
        map.Update(7, 700L);
        Assert.Equal(700L, map.Lookup<int, long>(7));
        Assert.Throws<BpfException>(() => map.Update(7, 1L, BpfMapUpdateFlags.NoExist));
        Assert.Throws<BpfKeyNotFoundException>(() => map.Update(8, 1L, BpfMapUpdateFlags.Exist));
        map.Update(7, 701L, BpfMapUpdateFlags.Exist);
        Assert.True(map.TryLookupAndDelete(7, out long popped));
        Assert.Equal(701L, popped);
        Assert.False(map.TryDelete(7));
        Assert.Throws<BpfKeyNotFoundException>(() => map.Delete(7));
        Assert.Throws<BpfKeyNotFoundException>(() => map.Lookup<int, long>(7));

        // Sizes are checked against the map, not trusted.
        Assert.Throws<ArgumentException>(() => map.Update(7L, 1L));
        Assert.Throws<ArgumentException>(() => map.TryLookup(7, out int _));
    }

    [KernelFact]
    public void FullHashReportsMapFull()
    {
        using var map = BpfMap.Create(new BpfMapCreateOptions { Type = BpfMapType.Hash, KeySize = 4, ValueSize = 4, MaxEntries = 1 });
        map.Update(1, 1);
        var e = Assert.Throws<BpfException>(() => map.Update(2, 2));
        Assert.Equal("E2BIG", e.ErrnoName);
        Assert.Contains("full", e.Message);
    }

    [KernelFact]
    public void RawSpanOperations()
    {
        using var map = BpfMap.Create(new BpfMapCreateOptions { Type = BpfMapType.Hash, KeySize = 2, ValueSize = 3, MaxEntries = 4 });
        map.Update(new byte[] { 1, 2 }, new byte[] { 9, 8, 7 });
        var value = new byte[3];
        Assert.True(map.TryLookup(new byte[] { 1, 2 }, value));
        Assert.Equal(new byte[] { 9, 8, 7 }, value);
        var next = new byte[2];
        Assert.True(map.TryGetNextKey(ReadOnlySpan<byte>.Empty, next));
        Assert.Equal(new byte[] { 1, 2 }, next);
        Assert.False(map.TryGetNextKey(next, next));
        Assert.True(map.TryDelete(new byte[] { 1, 2 }));
        Assert.Throws<ArgumentException>(() => map.TryLookup(new byte[] { 1 }, value));
    }

    [KernelFact]
    public void KeysEnumeratesEveryKey()
    {
        using var map = BpfMap.Create(new BpfMapCreateOptions { Type = BpfMapType.Hash, KeySize = 4, ValueSize = 4, MaxEntries = 64 });
        for (int i = 0; i < 50; i++)
            map.Update(i * 3, i);
        var keys = new List<int>();
        foreach (int key in map.Keys<int>())
            keys.Add(key);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => i * 3), keys.OrderBy(k => k));
    }

    [KernelFact(BpfMapType.Queue, BpfMapType.Stack)]
    public void QueuePushPopPeek()
    {
        using var queue = BpfMap.Create(new BpfMapCreateOptions { Type = BpfMapType.Queue, KeySize = 0, ValueSize = 8, MaxEntries = 4 });
        Assert.False(queue.TryPop(out long _));
        queue.Push(1L);
        queue.Push(2L);
        Assert.True(queue.TryPeek(out long peeked));
        Assert.Equal(1L, peeked);
        Assert.True(queue.TryPop(out long first));
        Assert.True(queue.TryPop(out long second));
        Assert.Equal((1L, 2L), (first, second));
        Assert.False(queue.TryPop(out long _));

        using var stack = BpfMap.Create(new BpfMapCreateOptions { Type = BpfMapType.Stack, KeySize = 0, ValueSize = 4, MaxEntries = 4 });
        stack.Push(1);
        stack.Push(2);
        Assert.True(stack.TryPop(out int top));
        Assert.Equal(2, top);
    }

    [KernelFact]
    public void BatchOperationsOnHash()
    {
        using var map = BpfMap.Create(new BpfMapCreateOptions { Type = BpfMapType.Hash, KeySize = 4, ValueSize = 8, MaxEntries = 256 });
        int[] keys = Enumerable.Range(1, 200).ToArray();
        long[] values = keys.Select(k => (long)k * 10).ToArray();
        Assert.Equal(200, map.UpdateBatch<int, long>(keys, values));

        var seen = new Dictionary<int, long>();
        var cursor = new BpfBatchCursor();
        var keyBuffer = new int[64];
        var valueBuffer = new long[64];
        while (!cursor.Done)
        {
            int count = map.LookupBatch(ref cursor, keyBuffer.AsSpan(), valueBuffer.AsSpan());
            for (int i = 0; i < count; i++)
                seen.Add(keyBuffer[i], valueBuffer[i]);
        }
        Assert.Equal(200, seen.Count);
        Assert.All(seen, pair => Assert.Equal(pair.Key * 10L, pair.Value));

        Assert.Equal(100, map.DeleteBatch<int>(keys.AsSpan(0, 100)));
        int remaining = 0;
        foreach (int _ in map.Keys<int>())
            remaining++;
        Assert.Equal(100, remaining);

        var drain = new BpfBatchCursor();
        int drained = 0;
        while (!drain.Done)
            drained += map.LookupAndDeleteBatch(ref drain, keyBuffer.AsSpan(), valueBuffer.AsSpan());
        Assert.Equal(100, drained);
        Assert.False(map.TryGetNextKey(ReadOnlySpan<byte>.Empty, new byte[4]));
    }

    [KernelFact(BpfMapType.PerCpuHash)]
    public void PerCpuBatchOperationsKeepEveryCpusValue()
    {
        int cpus = PossibleCpus.Count;
        using var map = BpfMap.Create(new BpfMapCreateOptions { Type = BpfMapType.PerCpuHash, KeySize = 4, ValueSize = 8, MaxEntries = 64 });
        int[] keys = Enumerable.Range(1, 40).ToArray();
        long[] values = new long[keys.Length * cpus];
        for (int i = 0; i < keys.Length; i++)
            for (int cpu = 0; cpu < cpus; cpu++)
                values[i * cpus + cpu] = keys[i] * 100L + cpu;
        Assert.Equal(40, map.UpdateBatchPerCpu<int, long>(keys, values));

        var seen = new Dictionary<int, long[]>();
        var cursor = new BpfBatchCursor();
        var keyBuffer = new int[16];
        var valueBuffer = new long[16 * cpus];
        while (!cursor.Done)
        {
            int count = map.LookupBatchPerCpu(ref cursor, keyBuffer.AsSpan(), valueBuffer.AsSpan());
            for (int i = 0; i < count; i++)
                seen.Add(keyBuffer[i], valueBuffer.AsSpan(i * cpus, cpus).ToArray());
        }
        Assert.Equal(40, seen.Count);
        Assert.All(seen, pair => Assert.Equal(Enumerable.Range(0, cpus).Select(cpu => pair.Key * 100L + cpu), pair.Value));

        // A 4-byte value would be read at the wrong stride: refused, naming the way out.
        using var narrow = BpfMap.Create(new BpfMapCreateOptions { Type = BpfMapType.PerCpuHash, KeySize = 4, ValueSize = 4, MaxEntries = 4 });
        var stride = Assert.Throws<ArgumentException>(() => narrow.UpdateBatchPerCpu<int, int>(new[] { 1 }, new int[cpus]));
        Assert.Contains("8 bytes apart", stride.Message);
        Assert.Throws<ArgumentException>(() => map.UpdateBatchPerCpu<int, long>(keys, new long[keys.Length])); // one value per key is not enough
    }

    [KernelFact(BpfMapType.PerCpuArray, BpfMapType.PerCpuHash)]
    public void PerCpuValues()
    {
        int cpus = PossibleCpus.Count;
        Assert.True(cpus >= Environment.ProcessorCount);
        using var map = BpfMap.Create(new BpfMapCreateOptions { Type = BpfMapType.PerCpuArray, KeySize = 4, ValueSize = 4, MaxEntries = 2 });
        Assert.Equal(8, map.PerCpuValueStride);
        int[] written = Enumerable.Range(100, cpus).ToArray();
        map.UpdatePerCpu(1, written.AsSpan());
        var read = new int[cpus];
        Assert.True(map.TryLookupPerCpu(1, read.AsSpan()));
        Assert.Equal(written, read);
        Assert.Throws<InvalidOperationException>(() => map.TryLookup(1, out int _));

        using var hash = BpfMap.Create(new BpfMapCreateOptions { Type = BpfMapType.PerCpuHash, KeySize = 4, ValueSize = 8, MaxEntries = 2 });
        long[] longs = Enumerable.Range(0, cpus).Select(i => (long)i << 40).ToArray();
        hash.UpdatePerCpu(5, longs.AsSpan());
        var readLongs = new long[cpus];
        Assert.True(hash.TryLookupPerCpu(5, readLongs.AsSpan()));
        Assert.Equal(longs, readLongs);
        Assert.False(hash.TryLookupPerCpu(6, readLongs.AsSpan()));
    }

    [KernelFact]
    public void FrozenMapRejectsWrites()
    {
        using var map = BpfMap.Create(new BpfMapCreateOptions { Type = BpfMapType.Array, KeySize = 4, ValueSize = 4, MaxEntries = 1 });
        map.Update(0, 5);
        map.Freeze();
        Assert.True(map.IsFrozen);
        var e = Assert.Throws<BpfPermissionException>(() => map.Update(0, 6));
        Assert.Contains("frozen", e.Message);
        Assert.Equal(5, map.Lookup<int, int>(0));
    }

    [KernelFact(BpfMapType.PerCpuArray)]
    public void ZeroAllocationsPerOperation()
    {
        using var map = BpfMap.Create(new BpfMapCreateOptions { Type = BpfMapType.Hash, KeySize = 4, ValueSize = 8, MaxEntries = 16 });
        using var perCpu = BpfMap.Create(new BpfMapCreateOptions { Type = BpfMapType.PerCpuArray, KeySize = 4, ValueSize = 4, MaxEntries = 1 });
        Span<int> cpuValues = stackalloc int[PossibleCpus.Count];
        // Warm up: JIT, static constructors, the possible-CPU count.
        RunOperations(map, perCpu, cpuValues, 10);

        long before = GC.GetAllocatedBytesForCurrentThread();
        RunOperations(map, perCpu, cpuValues, 100_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    private static void RunOperations(BpfMap map, BpfMap perCpu, Span<int> cpuValues, int count)
    {
        for (int i = 0; i < count; i++)
        {
            int key = i & 7;
            map.Update(key, (long)i);
            map.TryLookup(key, out long _);
            perCpu.TryLookupPerCpu(0, cpuValues);
        }
        foreach (int _ in map.Keys<int>())
        {
        }
    }
}
