using System;
using System.Collections.Generic;
using System.Threading;
using BpfSkeleton.RingBuffer;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.RingBuffer;

[Collection("Kernel")]
public class RingBufferTests
{
    [KernelFact(BpfMapType.Ringbuf, BpfProgramType.Syscall)]
    public void RecordsArriveInOrderWithTheirContents()
    {
        using var program = RingbufProgram.Load();
        var seen = new List<SequencedEvent>();
        using var reader = new BpfRingBuffer();
        reader.Add(program.Events, (ref readonly SequencedEvent e) => { seen.Add(e); return 0; });

        Assert.Equal(100, program.Produce(100));
        Assert.Equal(100, reader.Poll(1000));

        Assert.Equal(100, seen.Count);
        for (int i = 0; i < seen.Count; i++)
        {
            Assert.Equal((ulong)i, seen[i].Seq);
            Assert.Equal(~(ulong)i, seen[i].Check);
        }
        Assert.Equal(0, reader.Consume());
        Assert.Equal(0, reader.PendingBytes(0));
    }

    [KernelFact(BpfMapType.Ringbuf, BpfProgramType.Syscall)]
    public void SpanHandlerSeesTheRecordLength()
    {
        using var program = RingbufProgram.Load();
        var lengths = new List<int>();
        using var reader = new BpfRingBuffer(program.Events, record => { lengths.Add(record.Length); return 0; });
        program.Produce(3);
        Assert.Equal(3, reader.Consume());
        Assert.Equal(new[] { 16, 16, 16 }, lengths);
    }

    [KernelFact(BpfMapType.Ringbuf, BpfProgramType.Syscall)]
    public void DiscardedRecordsAreSkipped()
    {
        using var program = RingbufProgram.Load();
        var seqs = new List<ulong>();
        using var reader = new BpfRingBuffer();
        reader.Add(program.Events, (ref readonly SequencedEvent e) => { seqs.Add(e.Seq); return 0; });

        Assert.Equal(1000, program.Produce(1000, discardEvery: 3));
        int consumed = reader.Consume();

        var expected = new List<ulong>();
        for (ulong seq = 0; seq < 1000; seq++)
        {
            if (seq % 3 != 0)
                expected.Add(seq);
        }
        Assert.Equal(expected.Count, consumed);
        Assert.Equal(expected, seqs);
        Assert.Equal(0, reader.PendingBytes(0)); // discarded space was released too
    }

    [KernelFact(BpfMapType.Ringbuf, BpfProgramType.Syscall)]
    public void HandlerReturningNonZeroStopsTheBatchAndTheNextCallResumes()
    {
        using var program = RingbufProgram.Load();
        var seqs = new List<ulong>();
        using var reader = new BpfRingBuffer();
        reader.Add(program.Events, (ref readonly SequencedEvent e) =>
        {
            seqs.Add(e.Seq);
            return e.Seq == 2 ? -1 : 0;
        });
        program.Produce(10);

        Assert.Equal(3, reader.Consume());
        Assert.Equal(new ulong[] { 0, 1, 2 }, seqs);
        Assert.Equal(7, reader.Consume());
        Assert.Equal(10, seqs.Count);
        Assert.Equal(9ul, seqs[^1]);
    }

    [KernelFact(BpfMapType.Ringbuf, BpfProgramType.Syscall)]
    public void HandlerExceptionLeavesTheRecordToBeDeliveredAgain()
    {
        using var program = RingbufProgram.Load();
        var seqs = new List<ulong>();
        bool thrown = false;
        using var reader = new BpfRingBuffer();
        reader.Add(program.Events, (ref readonly SequencedEvent e) =>
        {
            if (e.Seq == 1 && !thrown)
            {
                thrown = true;
                throw new InvalidOperationException("handler failure");
            }
            seqs.Add(e.Seq);
            return 0;
        });
        program.Produce(3);

        Assert.Throws<InvalidOperationException>(() => reader.Consume());
        Assert.Equal(2, reader.Consume());
        Assert.Equal(new ulong[] { 0, 1, 2 }, seqs);
    }

    [KernelFact(BpfMapType.Ringbuf, BpfProgramType.Syscall)]
    public void SmallRingWrapsManyTimesWithVariableLengthRecords()
    {
        using var program = RingbufProgram.Load();
        Assert.Equal(4096u, program.SizedEvents.MaxEntries);
        // Bytes after each record's sequence number come from sized_payload: make them a pattern.
        int payloadOffset = program.BssOffset("sized_payload");
        var bss = program.Bss.GetWritableBytes();
        for (int i = 8; i < 256; i++)
            bss[payloadOffset + i] = (byte)(i * 31 + 7);

        const int Total = 20_000;
        ulong expectedSeq = 0;
        ulong position = 0;
        int straddling = 0;
        string? failure = null;
        using var reader = new BpfRingBuffer(program.SizedEvents, record =>
        {
            ulong seq = BitConverter.ToUInt64(record);
            if (seq != expectedSeq)
                failure ??= $"seq {seq}, expected {expectedSeq}";
            if (record.Length != RingbufProgram.SizedLength(seq))
                failure ??= $"record {seq} has length {record.Length}, expected {RingbufProgram.SizedLength(seq)}";
            for (int i = 8; i < record.Length; i++)
            {
                if (record[i] != (byte)(i * 31 + 7))
                {
                    failure ??= $"record {seq} byte {i} is {record[i]}";
                    break;
                }
            }
            // Track where the record sat in the 4096-byte ring to prove some crossed its end.
            ulong footprint = (ulong)((record.Length + 8 + 7) & ~7);
            if (position % 4096 + footprint > 4096)
                straddling++;
            position += footprint;
            expectedSeq++;
            return 0;
        });

        int consumed = 0;
        while (consumed < Total)
        {
            int produced = program.ProduceSized((uint)Math.Min(64, Total - consumed));
            Assert.True(produced > 0, "a drained 4 KiB ring must accept at least one record");
            Assert.Equal(produced, reader.Consume());
            consumed += produced;
        }

        Assert.Null(failure);
        Assert.Equal((ulong)Total, expectedSeq);
        Assert.True(position > 100 * 4096, $"only {position} bytes went through the ring");
        Assert.True(straddling > 10, $"only {straddling} records crossed the end of the ring");
    }

    [KernelFact(BpfMapType.Ringbuf, BpfProgramType.Syscall)]
    public void FullRingStopsTheProducerUntilDrained()
    {
        using var program = RingbufProgram.Load(eventsSize: 4096);
        int count = 0;
        using var reader = new BpfRingBuffer(program.Events, _ => { count++; return 0; });

        int first = program.Produce(1000);
        Assert.Equal(4096 / 24, first); // 24-byte footprint: 16 bytes of data + 8 of header
        Assert.Equal(0, program.Produce(1));
        Assert.True(program.ReadBss("reserve_failures") >= 1);

        Assert.Equal(first, reader.Poll(1000));
        Assert.Equal(first, program.Produce(1000));
        Assert.Equal(first, reader.Consume());
        Assert.Equal(2 * first, count);
    }

    [KernelFact(BpfMapType.Ringbuf, BpfProgramType.Syscall)]
    public void ALongDrainGivesSpaceBackAsItGoesAndTakesWhatIsProducedMeanwhile()
    {
        using var program = RingbufProgram.Load(eventsSize: 4096);
        var seqs = new List<ulong>();
        int producedDuringDrain = -1;
        using var reader = new BpfRingBuffer();
        reader.Add(program.Events, (ref readonly SequencedEvent e) =>
        {
            seqs.Add(e.Seq);
            // The last record of the full ring: the consumer position is published per batch (a
            // quarter of this ring), not only when the drain ends, so the kernel has room again.
            if (e.Seq == 4096 / 24 - 1)
                producedDuringDrain = program.Produce(20);
            return 0;
        });

        Assert.Equal(4096 / 24, program.Produce(1000));
        int drained = reader.Consume();

        Assert.Equal(20, producedDuringDrain);
        Assert.Equal(4096 / 24 + 20, drained);
        for (int i = 0; i < seqs.Count; i++)
            Assert.Equal((ulong)i, seqs[i]);
        Assert.Equal(0, reader.PendingBytes(0));
    }

    [KernelFact(BpfMapType.Ringbuf, BpfProgramType.Syscall)]
    public void SeveralRingsInOneReader()
    {
        using var program = RingbufProgram.Load();
        var fixedSeqs = new List<ulong>();
        var sizedSeqs = new List<ulong>();
        using var reader = new BpfRingBuffer();
        Assert.Equal(0, reader.Add(program.Events, (ref readonly SequencedEvent e) => { fixedSeqs.Add(e.Seq); return 0; }));
        Assert.Equal(1, reader.Add(program.SizedEvents, record => { sizedSeqs.Add(BitConverter.ToUInt64(record)); return 0; }));
        Assert.Equal(2, reader.RingCount);

        program.Produce(50);
        program.ProduceSized(20);

        int total = 0;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (total < 70 && DateTime.UtcNow < deadline)
            total += reader.Poll(100);

        Assert.Equal(70, total);
        Assert.Equal(50, fixedSeqs.Count);
        Assert.Equal(20, sizedSeqs.Count);
        Assert.Equal(49ul, fixedSeqs[^1]);
        Assert.Equal(19ul, sizedSeqs[^1]);

        program.ProduceSized(5);
        Assert.Equal(0, reader.ConsumeRing(0));
        Assert.Equal(5, reader.ConsumeRing(1));
    }

    [KernelFact(BpfMapType.Ringbuf)]
    public void PollTimesOutOnAnEmptyRing()
    {
        using var program = RingbufProgram.Load();
        using var reader = new BpfRingBuffer(program.Events, _ => 0);
        var started = DateTime.UtcNow;
        Assert.Equal(0, reader.Poll(50));
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(40));
    }

    [KernelFact(BpfMapType.Ringbuf, BpfMapType.UserRingbuf)]
    public void RejectsMapsThatAreNotRingBuffers()
    {
        using var program = RingbufProgram.Load();
        using var reader = new BpfRingBuffer();
        Assert.Throws<ArgumentException>(() => reader.Add(program.UserEvents, _ => 0));
        Assert.Throws<ArgumentException>(() => reader.Add(program.Bss.Map.Map, _ => 0));
        Assert.Equal(0, reader.RingCount);
    }

    [KernelFact(BpfMapType.Ringbuf, BpfProgramType.Syscall)]
    public void TypedHandlerRejectsRecordsShorterThanTheType()
    {
        using var program = RingbufProgram.Load();
        using var reader = new BpfRingBuffer();
        reader.Add(program.Events, (ref readonly LargeEvent e) => 0);
        program.Produce(1);
        Assert.Throws<System.IO.InvalidDataException>(() => reader.Consume());
    }

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Size = 32)]
    private struct LargeEvent
    {
    }
}
