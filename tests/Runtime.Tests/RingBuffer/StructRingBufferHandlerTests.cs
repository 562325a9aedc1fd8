using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using BpfSkeleton.RingBuffer;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.RingBuffer;

/// <summary>The fast path: records handed to a struct <see cref="IRingBufferHandler"/> through a specialized drain loop.</summary>
[Collection("Kernel")]
public class StructRingBufferHandlerTests
{
    /// <summary>Checks each record against the sequence it expects; counts in the struct, so the reader's copy keeps state.</summary>
    private struct SequenceChecker : IRingBufferHandler
    {
        public ulong Next;
        public List<ulong> Seen;
        public ulong StopAt;

        public int Handle(ReadOnlySpan<byte> record)
        {
            var e = MemoryMarshal.Read<SequencedEvent>(record);
            Assert.Equal(16, record.Length);
            Assert.Equal(~e.Seq, e.Check);
            Assert.Equal(Next, e.Seq);
            Next = e.Seq + 1;
            Seen.Add(e.Seq);
            return e.Seq == StopAt ? 1 : 0;
        }
    }

    private sealed class ClassHandler : IRingBufferHandler
    {
        public int Records;

        public int Handle(ReadOnlySpan<byte> record)
        {
            Records++;
            return 0;
        }
    }

    private static ulong s_sum;

    private struct Summer : IRingBufferHandler
    {
        public int Handle(ReadOnlySpan<byte> record)
        {
            s_sum += MemoryMarshal.Read<ulong>(record);
            return 0;
        }
    }

    [KernelFact(BpfMapType.Ringbuf, BpfProgramType.Syscall)]
    public void StructHandlerKeepsItsStateAndStopsWhenAsked()
    {
        using var program = RingbufProgram.Load();
        var seen = new List<ulong>();
        using var reader = new BpfRingBuffer();
        reader.Add(program.Events, new SequenceChecker { Seen = seen, StopAt = 4 });
        program.Produce(10);

        Assert.Equal(5, reader.Consume()); // 0..4: stops after 4, which counts as consumed
        Assert.Equal(new ulong[] { 0, 1, 2, 3, 4 }, seen);
        // The checker's Next (5) lives on in the reader's copy; had the struct been copied per
        // batch, Next would be 0 again and the sequence check would throw.
        Assert.Equal(5, reader.Consume());
        Assert.Equal(new ulong[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, seen);
        Assert.Equal(0, reader.PendingBytes(0));
    }

    [KernelFact(BpfMapType.Ringbuf, BpfProgramType.Syscall)]
    public void ClassHandlerAndDelegateHandlersShareOneReader()
    {
        using var program = RingbufProgram.Load();
        var handler = new ClassHandler();
        int sized = 0;
        using var reader = new BpfRingBuffer();
        Assert.Equal(0, reader.Add(program.Events, handler));
        Assert.Equal(1, reader.Add(program.SizedEvents, record => { sized++; return 0; }));
        program.Produce(50);
        program.ProduceSized(20);

        Assert.Equal(70, reader.Poll(1000) + reader.Consume());
        Assert.Equal(50, handler.Records);
        Assert.Equal(20, sized);
    }

    [KernelFact(BpfMapType.Ringbuf, BpfProgramType.Syscall)]
    public void StructHandlerAllocatesNothingPerEvent()
    {
        using var program = RingbufProgram.Load();
        using var reader = new BpfRingBuffer();
        reader.Add(program.Events, new Summer());
        program.Produce(100);
        reader.Poll(0);

        int produced = program.Produce(10_000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int consumed = reader.Consume();
        long after = GC.GetAllocatedBytesForCurrentThread();

        Assert.Equal(produced, consumed);
        Assert.Equal(0, after - before);
    }
}
