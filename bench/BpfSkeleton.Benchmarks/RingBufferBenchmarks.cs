using System;
using System.IO;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using BpfSkeleton.Kernel;
using BpfSkeleton.RingBuffer;

namespace BpfSkeleton.Benchmarks;

/// <summary>
/// Drain rate of <see cref="BpfRingBuffer"/>: before every iteration ringbuf.bpf.o's produce fills
/// the ring with <see cref="Records"/> 16-byte records in one test run; the benchmark then drains
/// them, so one operation is one record. bench/reference/ringbuf_drain.c measures libbpf the same way.
/// The drain loop is compiled in tiers, so the steady state of a long-running reader needs tens of
/// drains before the measured ones (60 warm-up drains; C needs none, it takes 3).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(RunStrategy.Monitoring, warmupCount: 60, iterationCount: 20, invocationCount: 1)]
public class RingBufferBenchmarks
{
    public const int Records = 1 << 20;
    private const uint RingBytes = 32 << 20; // holds 1.39M records of 24 bytes (16 + header)

    private static ulong s_sum;
    private BpfObject _object = null!;
    private BpfRingBuffer _reader = null!;
    private BpfRingBuffer _structReader = null!;
    private BpfTestRunOptions _fill = null!;

    [GlobalSetup]
    public void Setup()
    {
        _object = BpfObject.Open(Path.Combine(AppContext.BaseDirectory, "bpf", "ringbuf.bpf.o"));
        _object.Map("events").MaxEntries = RingBytes;
        _object.Load();
        _reader = new BpfRingBuffer();
        // The handler is compiled fully optimized from its first call, as the C reference's callback
        // (gcc -O2) and SumHandler (inlined into the drain loop, itself AggressiveOptimization) are.
        // Left to tiered compilation, the lambda runs at Tier0, then instrumented Tier0, for the
        // first ~5-10 drains, and when it reaches Tier1 depends on timing (e.g. what else the poll
        // path jits meanwhile): the delegate rows then measured the JIT's warm-up more than the reader.
        _reader.Add(_object.Map("events").Map, [MethodImpl(MethodImplOptions.AggressiveOptimization)] static (record) =>
        {
            s_sum += BitConverter.ToUInt64(record); // touch the record, as the C reference does
            return 0;
        });
        // The same ring read through the fast path: a struct handler the drain loop calls directly.
        _structReader = new BpfRingBuffer();
        _structReader.Add(_object.Map("events").Map, new SumHandler());
        var args = new byte[8];
        BitConverter.TryWriteBytes(args, (uint)Records); // struct produce_args { count; discard_every = 0; }
        _fill = new BpfTestRunOptions { ContextIn = args };
    }

    [IterationSetup]
    public void Fill()
    {
        uint produced = _object.Program("produce").TestRun(_fill).ReturnValue;
        if (produced != Records)
            throw new InvalidOperationException($"produce emitted {produced} of {Records} records (ring not drained?)");
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public int Consume() => Check(_reader.Consume());

    [Benchmark(OperationsPerInvoke = Records)]
    public int Poll()
    {
        int total = 0;
        while (total < Records)
            total += _reader.Poll(1000);
        return Check(total);
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public int ConsumeStruct() => Check(_structReader.Consume());

    [Benchmark(OperationsPerInvoke = Records)]
    public int PollStruct()
    {
        int total = 0;
        while (total < Records)
            total += _structReader.Poll(1000);
        return Check(total);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _structReader.Dispose();
        _reader.Dispose();
        _object.Dispose();
    }

    private struct SumHandler : IRingBufferHandler
    {
        public int Handle(ReadOnlySpan<byte> record)
        {
            s_sum += BitConverter.ToUInt64(record);
            return 0;
        }
    }

    private static int Check(int drained)
        => drained == Records ? drained : throw new InvalidOperationException($"drained {drained} of {Records} records");
}
