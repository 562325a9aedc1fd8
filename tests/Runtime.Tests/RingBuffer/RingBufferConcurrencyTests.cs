using System;
using System.Threading;
using BpfSkeleton.RingBuffer;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.RingBuffer;

/// <summary>A consumer thread draining while producer runs fill the ring, and disposal racing both.</summary>
[Collection("Kernel")]
public class RingBufferConcurrencyTests
{
    [KernelFact(BpfMapType.Ringbuf, BpfProgramType.Syscall)]
    public void MillionEventBurstArrivesInOrderWithoutLossWhileDrainedConcurrently()
    {
        const long Total = 1_000_000;
        using var program = RingbufProgram.Load();
        long received = 0;
        string? failure = null;
        using var reader = new BpfRingBuffer();
        reader.Add(program.Events, (ref readonly SequencedEvent e) =>
        {
            if (e.Seq != (ulong)received || e.Check != ~e.Seq)
                failure ??= $"record {received}: seq {e.Seq}, check {e.Check:x}";
            received++;
            return 0;
        });

        // Fill the ring before the consumer starts: the kernel then refuses records (reserve fails on a full
        // ring), so the rest of the burst is certain to meet a full ring that only the consumer can drain.
        long produced = 0;
        int emitted;
        do
        {
            emitted = program.Produce(4096);
            produced += emitted;
        }
        while (emitted == 4096 && produced < Total);
        Assert.True(emitted < 4096, $"a 256 KiB ring took {produced} records without filling up");

        var consumer = new Thread(() =>
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (Volatile.Read(ref received) < Total && DateTime.UtcNow < deadline)
                reader.Poll(100);
        });
        consumer.Start();

        var producerDeadline = DateTime.UtcNow.AddSeconds(60);
        while (produced < Total && DateTime.UtcNow < producerDeadline)
        {
            emitted = program.Produce((uint)Math.Min(4096, Total - produced));
            produced += emitted;
            if (emitted < 4096 && produced < Total)
                Thread.Yield(); // the ring is full: let the consumer catch up
        }
        consumer.Join();

        Assert.Null(failure);
        Assert.Equal(Total, produced);
        Assert.Equal(Total, received);
        Assert.Equal(Total, (long)program.ReadBss("next_seq"));
    }

    [KernelFact(BpfMapType.Ringbuf, BpfProgramType.Syscall)]
    public void DisposingTheReaderWhileItPollsAndAProducerRunsIsSafe()
    {
        using var program = RingbufProgram.Load();
        for (int round = 0; round < 20; round++)
        {
            var reader = new BpfRingBuffer();
            long received = 0;
            reader.Add(program.Events, (ref readonly SequencedEvent e) => { received++; return 0; });
            Exception? consumerError = null;
            bool sawDisposed = false;
            var consumer = new Thread(() =>
            {
                try
                {
                    while (true)
                        reader.Poll(-1); // blocks forever unless Dispose wakes it
                }
                catch (ObjectDisposedException)
                {
                    sawDisposed = true;
                }
                catch (Exception e)
                {
                    consumerError = e;
                }
            });
            using var stopProducer = new CancellationTokenSource();
            var producer = new Thread(() =>
            {
                while (!stopProducer.IsCancellationRequested)
                    program.Produce(256);
            });
            consumer.Start();
            producer.Start();

            Thread.Sleep(round % 4 * 5); // dispose at different points: before, during and between drains
            reader.Dispose();

            Assert.True(consumer.Join(TimeSpan.FromSeconds(10)), "Dispose did not wake the polling thread");
            stopProducer.Cancel();
            producer.Join();
            Assert.Null(consumerError);
            Assert.True(sawDisposed);
            Assert.Throws<ObjectDisposedException>(() => reader.Consume());
            Assert.Throws<ObjectDisposedException>(() => reader.Poll(0));
            reader.Dispose(); // twice is fine
        }
        // The program and its ring outlive the readers and still work.
        using var last = new BpfRingBuffer(program.Events, _ => 0);
        last.Consume();
        Assert.Equal(10, program.Produce(10));
        Assert.Equal(10, last.Consume());
    }

    [KernelFact(BpfMapType.Ringbuf, BpfProgramType.Syscall)]
    public void DisposingFromInsideAHandlerFinishesTheBatchThenRefusesMore()
    {
        using var program = RingbufProgram.Load();
        BpfRingBuffer? reader = null;
        int received = 0;
        reader = new BpfRingBuffer(program.Events, record =>
        {
            if (received++ == 0)
                reader!.Dispose(); // the mapping must stay readable until this drain returns
            return 0;
        });
        program.Produce(100);
        Assert.Equal(100, reader.Consume());
        Assert.Throws<ObjectDisposedException>(() => reader.Consume());
    }
}
