using System;
using BpfSkeleton.RingBuffer;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.RingBuffer;

[Collection("Kernel")]
public class RingBufferAllocationTests
{
    private static ulong s_sum;

    [KernelFact(BpfMapType.Ringbuf, BpfProgramType.Syscall)]
    public void ConsumeAndPollAllocateNothingPerEvent()
    {
        using var program = RingbufProgram.Load();
        using var reader = new BpfRingBuffer();
        reader.Add(program.Events, static (ref readonly SequencedEvent e) => { s_sum += e.Seq; return 0; });
        reader.Add(program.SizedEvents, static record => { s_sum += (ulong)record.Length; return 0; });

        // Warm up: JIT and first-call costs are not per event.
        program.Produce(100);
        program.ProduceSized(10);
        reader.Poll(0);
        reader.Consume();

        int produced = program.Produce(10_000);
        program.ProduceSized(10);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int consumed = reader.Consume();
        long afterConsume = GC.GetAllocatedBytesForCurrentThread();

        int polledProduced = program.Produce(10_000);
        long beforePoll = GC.GetAllocatedBytesForCurrentThread();
        int polled = reader.Poll(1000);
        long afterPoll = GC.GetAllocatedBytesForCurrentThread();

        Assert.Equal(produced + 10, consumed);
        Assert.Equal(polledProduced, polled);
        Assert.Equal(0, afterConsume - before);
        Assert.Equal(0, afterPoll - beforePoll);
    }
}
