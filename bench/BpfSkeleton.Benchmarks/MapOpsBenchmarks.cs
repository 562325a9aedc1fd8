using System;
using BenchmarkDotNet.Attributes;
using BpfSkeleton.Kernel;

namespace BpfSkeleton.Benchmarks;

/// <summary>
/// Element operations on a hash map of <see cref="Entries"/> u32 → u64 elements, all present:
/// one operation is one element. bench/reference/map_ops.c runs the same loops through libbpf's
/// bpf_map_*_elem / *_batch on a map of the same type and size.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class MapOpsBenchmarks
{
    public const int Entries = 1024;

    private BpfMap _map = null!;
    private readonly uint[] _keys = new uint[Entries];
    private readonly ulong[] _values = new ulong[Entries];
    private uint _next;

    [GlobalSetup]
    public void Setup()
    {
        _map = BpfMap.Create(new BpfMapCreateOptions
        {
            Type = BpfMapType.Hash, Name = "bench_hash", KeySize = 4, ValueSize = 8, MaxEntries = Entries * 2,
        });
        for (uint i = 0; i < Entries; i++)
        {
            _keys[i] = i;
            _values[i] = i * 3ul;
        }
        _map.UpdateBatch<uint, ulong>(_keys, _values);
    }

    [GlobalCleanup]
    public void Cleanup() => _map.Dispose();

    private uint NextKey() => _next = (_next + 1) & (Entries - 1);

    [Benchmark]
    public ulong Lookup() => _map.TryLookup(NextKey(), out ulong value) ? value : throw new InvalidOperationException("missing key");

    [Benchmark]
    public void Update() => _map.Update(NextKey(), 7ul);

    /// <summary>Delete needs an element to delete: each operation inserts a key past the prefilled range and deletes it (two syscalls).</summary>
    [Benchmark]
    public void UpdateThenDelete()
    {
        uint key = Entries + NextKey();
        _map.Update(key, 1ul);
        _map.Delete(key);
    }

    [Benchmark(OperationsPerInvoke = Entries)]
    public int LookupBatch()
    {
        var cursor = default(BpfBatchCursor);
        int total = 0;
        while (!cursor.Done)
            total += _map.LookupBatch<uint, ulong>(ref cursor, _keys.AsSpan(total), _values.AsSpan(total));
        return total == Entries ? total : throw new InvalidOperationException($"batch read {total} of {Entries}");
    }

    [Benchmark(OperationsPerInvoke = Entries)]
    public int UpdateBatch() => _map.UpdateBatch<uint, ulong>(_keys, _values);
}
