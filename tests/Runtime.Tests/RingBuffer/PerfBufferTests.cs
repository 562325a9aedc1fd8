using System;
using System.Collections.Generic;
using System.Linq;
using BpfSkeleton.Kernel;
using BpfSkeleton.PerfBuffer;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.RingBuffer;

/// <summary>perfbuf.bpf.c's emit_samples, test-run on each CPU in turn, writes into the perf buffer.</summary>
[Collection("Kernel")]
public class PerfBufferTests
{
    private const uint TestRunOnCpu = 1; // BPF_F_TEST_RUN_ON_CPU
    private const int SampleBytes = 24; // struct perf_sample

    [KernelFact(BpfMapType.PerfEventArray, BpfProgramType.RawTracepoint)]
    public void SamplesArriveFromEveryCpuTheProgramRunsOn()
    {
        using var obj = LoadPerfObject();
        var samples = new List<(int Cpu, uint SampleCpu, uint Index, ulong Seq, ulong Check, int Length)>();
        using var perf = new BpfPerfBuffer(obj.Map("samples").Map, (cpu, data) =>
            samples.Add((cpu, BitConverter.ToUInt32(data), BitConverter.ToUInt32(data[4..]),
                BitConverter.ToUInt64(data[8..]), BitConverter.ToUInt64(data[16..]), data.Length)));
        Assert.Equal(Environment.ProcessorCount, perf.Cpus.Count);

        foreach (int cpu in perf.Cpus)
            Emit(obj, cpu, 50);
        int total = 0;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (total < 50 * perf.Cpus.Count && DateTime.UtcNow < deadline)
            total += perf.Poll(100);

        Assert.Equal(50 * perf.Cpus.Count, total);
        Assert.Equal(0ul, obj.GlobalDataSection(".bss").Read<ulong>(8)); // output_failures
        foreach (int cpu in perf.Cpus)
        {
            var fromCpu = samples.Where(s => s.Cpu == cpu).ToList();
            Assert.Equal(50, fromCpu.Count);
            Assert.All(fromCpu, s => Assert.Equal((uint)cpu, s.SampleCpu)); // the ring matches the CPU that wrote
            Assert.Equal(Enumerable.Range(0, 50).Select(i => (uint)i), fromCpu.Select(s => s.Index));
            Assert.All(fromCpu, s => Assert.Equal(~s.Seq, s.Check));
            // The kernel pads raw samples so that the size field plus data is a multiple of 8.
            Assert.All(fromCpu, s => Assert.Equal(SampleBytes + 4, s.Length));
        }
    }

    [KernelFact(BpfMapType.PerfEventArray, BpfProgramType.RawTracepoint)]
    public void RecordsThatWrapTheRingAreReassembled()
    {
        using var obj = LoadPerfObject();
        ulong expectedSeq = 0;
        string? failure = null;
        using var perf = new BpfPerfBuffer(obj.Map("samples").Map, (cpu, data) =>
        {
            ulong seq = BitConverter.ToUInt64(data[8..]);
            if (seq != expectedSeq || BitConverter.ToUInt64(data[16..]) != ~seq)
                failure ??= $"sample {expectedSeq}: seq {seq}";
            expectedSeq++;
        }, onLost: (cpu, lost) => failure ??= $"{lost} samples lost", pagesPerCpu: 1);

        int cpu0 = perf.Cpus[0];
        // 40-byte records (8 header + 4 size + 28 padded data) do not divide the 4 KiB ring, so
        // 1000 of them (~10 trips round the ring) include records split across its end.
        for (int round = 0; round < 20; round++)
        {
            Emit(obj, cpu0, 50);
            Assert.Equal(50, perf.ConsumeCpu(cpu0));
        }
        Assert.Null(failure);
        Assert.Equal(1000ul, expectedSeq);
    }

    [KernelFact(BpfMapType.PerfEventArray, BpfProgramType.RawTracepoint)]
    public void LostSamplesAreReportedWhenTheRingOverflows()
    {
        using var obj = LoadPerfObject();
        long received = 0;
        ulong lost = 0;
        var lostCpus = new HashSet<int>();
        using var perf = new BpfPerfBuffer(obj.Map("samples").Map, (cpu, data) => received++,
            (cpu, count) => { lost += count; lostCpus.Add(cpu); }, pagesPerCpu: 1);
        int cpu0 = perf.Cpus[0];

        Emit(obj, cpu0, 1000); // ~100 fit in one page of 40-byte records
        long firstDrain = perf.Consume();
        Assert.InRange(firstDrain, 50, 110);
        // The kernel writes the LOST record once there is room again, ahead of the next sample.
        Emit(obj, cpu0, 1);
        perf.Consume();

        Assert.Equal(1001, received + (long)lost);
        Assert.True(lost >= 890, $"lost {lost}");
        Assert.Equal(new[] { cpu0 }, lostCpus);
        Assert.Equal(1000ul, obj.GlobalDataSection(".bss").Read<ulong>(8) + (ulong)firstDrain); // failures seen by BPF
    }

    [KernelFact(BpfMapType.PerfEventArray, BpfProgramType.RawTracepoint)]
    public void DisposeClearsTheMapSlotsSoProgramsStopWriting()
    {
        using var obj = LoadPerfObject();
        var perf = new BpfPerfBuffer(obj.Map("samples").Map, (cpu, data) => { });
        perf.Dispose();
        Assert.Throws<ObjectDisposedException>(() => perf.Consume());
        Emit(obj, 0, 3);
        Assert.Equal(3ul, obj.GlobalDataSection(".bss").Read<ulong>(8)); // output_failures: no event in the slot
    }

    private static BpfObject LoadPerfObject() => TestObjects.Load("perfbuf");

    /// <summary>Runs emit_samples on <paramref name="cpu"/>, asking for <paramref name="count"/> samples.</summary>
    private static void Emit(BpfObject obj, int cpu, ulong count)
        => obj.Program("emit_samples").TestRun(new BpfTestRunOptions
        {
            ContextIn = BitConverter.GetBytes(count),
            Flags = TestRunOnCpu,
            Cpu = (uint)cpu,
        });
}
