using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using BpfSkeleton.RingBuffer;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.RingBuffer;

/// <summary>WaitAsync's single waiter thread: no thread per wait, cancellation, dispose, one wait at a time.</summary>
[Collection("Kernel")]
public class RingBufferWaiterTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [KernelFact(BpfMapType.Ringbuf, BpfProgramType.Syscall)]
    public async Task SequentialWaitsShareOneWaiterThread()
    {
        using var program = RingbufProgram.Load();
        using var reader = new BpfRingBuffer(program.Events, _ => 0);
        var baseline = ProcessThreads.Snapshot();

        // Every thread alive while a wait is pending; a thread per wait would add one id per round.
        var newThreads = new HashSet<int>();
        for (int round = 0; round < 200; round++)
        {
            var wait = reader.WaitAsync();
            Assert.False(wait.IsCompleted); // the ring is empty: the slow path
            foreach (var id in ProcessThreads.Snapshot().Keys)
            {
                if (!baseline.ContainsKey(id))
                    newThreads.Add(id);
            }
            program.Produce(1);
            Assert.True(await wait.AsTask().WaitAsync(Timeout));
            Assert.Equal(1, reader.Consume());
        }

        // Room for thread pool growth, far below one thread per wait.
        Assert.True(newThreads.Count < 20, $"{newThreads.Count} threads appeared during 200 waits");
        var waiters = ProcessThreads.Named(ProcessThreads.WaiterName);
        Assert.Single(waiters);
        Assert.Contains(waiters[0], newThreads);
    }

    [KernelFact(BpfMapType.Ringbuf, BpfProgramType.Syscall)]
    public async Task StartingAWaitAllocatesNothing()
    {
        using var program = RingbufProgram.Load();
        using var reader = new BpfRingBuffer(program.Events, _ => 0);
        for (int round = 0; round < 3; round++)
        {
            // Warm up: the thread, JIT and the first registration are not per wait.
            var warmup = reader.WaitAsync();
            program.Produce(1);
            Assert.True(await warmup.AsTask().WaitAsync(Timeout));
            reader.Consume();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        var wait = reader.WaitAsync();
        long after = GC.GetAllocatedBytesForCurrentThread();
        program.Produce(1);
        Assert.True(await wait);
        Assert.Equal(0, after - before);
    }

    [KernelFact(BpfMapType.Ringbuf, BpfProgramType.Syscall)]
    public async Task CancelledWaitLeavesTheReaderReadyForTheNext()
    {
        using var program = RingbufProgram.Load();
        using var reader = new BpfRingBuffer(program.Events, _ => 0);

        for (int round = 0; round < 20; round++)
        {
            using var cancellation = new CancellationTokenSource();
            var pending = reader.WaitAsync(cancellation.Token).AsTask();
            await Task.Delay(5);
            Assert.False(pending.IsCompleted);
            cancellation.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(Timeout));
        }

        using var expired = new CancellationTokenSource(50);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await reader.WaitAsync(expired.Token));

        using var later = new CancellationTokenSource();
        var wait = reader.WaitAsync(later.Token).AsTask();
        await Task.Delay(50);
        Assert.False(wait.IsCompleted); // no stale wake or cancellation completes it
        program.Produce(3);
        Assert.True(await wait.WaitAsync(Timeout));
        Assert.Equal(3, reader.Consume());

        // The finished wait's registration is gone: cancelling now disturbs nothing.
        later.Cancel();
        var next = reader.WaitAsync().AsTask();
        await Task.Delay(50);
        Assert.False(next.IsCompleted);
        program.Produce(1);
        Assert.True(await next.WaitAsync(Timeout));
        Assert.Single(ProcessThreads.Named(ProcessThreads.WaiterName));
    }

    [KernelFact(BpfMapType.Ringbuf)]
    public async Task DisposeEndsAPendingWaitWithFalseAndEndsTheThread()
    {
        using var program = RingbufProgram.Load();
        var baseline = ProcessThreads.Snapshot();
        var reader = new BpfRingBuffer(program.Events, _ => 0);

        var pending = reader.WaitAsync().AsTask();
        await Task.Delay(20);
        var waiter = Assert.Single(ProcessThreads.Named(ProcessThreads.WaiterName), id => !baseline.ContainsKey(id));
        reader.Dispose();

        Assert.False(await pending.WaitAsync(Timeout));
        Assert.False(await reader.WaitAsync());
        // Dispose joins the thread; the kernel may take a moment to drop its task entry.
        var deadline = DateTime.UtcNow + Timeout;
        while (ProcessThreads.Snapshot().ContainsKey(waiter) && DateTime.UtcNow < deadline)
            await Task.Delay(10);
        Assert.DoesNotContain(waiter, ProcessThreads.Snapshot().Keys);
    }

    [KernelFact(BpfMapType.Ringbuf, BpfProgramType.Syscall)]
    public async Task DisposeWithoutAPendingWaitEndsTheThread()
    {
        using var program = RingbufProgram.Load();
        var reader = new BpfRingBuffer(program.Events, _ => 0);
        var wait = reader.WaitAsync();
        program.Produce(1);
        Assert.True(await wait);
        Assert.Single(ProcessThreads.Named(ProcessThreads.WaiterName));

        reader.Dispose();
        var deadline = DateTime.UtcNow + Timeout;
        while (ProcessThreads.Named(ProcessThreads.WaiterName).Count > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(10);
        Assert.Empty(ProcessThreads.Named(ProcessThreads.WaiterName));
    }

    [KernelFact(BpfMapType.Ringbuf, BpfProgramType.Syscall)]
    public async Task OnlyOneWaitMayBeOutstanding()
    {
        using var program = RingbufProgram.Load();
        using var reader = new BpfRingBuffer(program.Events, _ => 0);

        var first = reader.WaitAsync().AsTask();
        Assert.Throws<InvalidOperationException>(() => reader.WaitAsync());
        program.Produce(1);
        Assert.True(await first.WaitAsync(Timeout));

        // Once the first result was read, the next wait is allowed (data is there: at once).
        var second = reader.WaitAsync();
        Assert.True(second.IsCompletedSuccessfully);
        Assert.True(await second);

        // An unread result keeps the slot taken, even when data is already there.
        reader.Consume();
        var unread = reader.WaitAsync();
        program.Produce(1);
        var deadline = DateTime.UtcNow + Timeout;
        while (!unread.IsCompleted && DateTime.UtcNow < deadline)
            await Task.Delay(5);
        Assert.Throws<InvalidOperationException>(() => reader.WaitAsync());
        Assert.True(await unread);
        Assert.True(await reader.WaitAsync());
    }

    [KernelFact(BpfMapType.Ringbuf, BpfProgramType.Syscall)]
    public async Task ReadAllAsyncYieldsATrickleInOrderOnOneThread()
    {
        using var program = RingbufProgram.Load();
        using var reader = new BpfRingBuffer(program.Events, _ => 0);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        const int Batches = 50;
        const int PerBatch = 3;
        var records = new List<RingBufferRecord>();
        var reading = Task.Run(async () =>
        {
            await foreach (var record in reader.ReadAllAsync(cancellation.Token))
            {
                records.Add(record);
                if (records.Count == Batches * PerBatch)
                    break;
            }
        });
        for (int batch = 0; batch < Batches; batch++)
        {
            program.Produce(PerBatch);
            await Task.Delay(2);
        }
        await reading.WaitAsync(TimeSpan.FromSeconds(30));

        for (int i = 0; i < records.Count; i++)
        {
            Assert.Equal(0, records[i].Ring);
            Assert.Equal((ulong)i, BitConverter.ToUInt64(records[i].Data));
        }
        Assert.Equal(Batches * PerBatch, records.Count);
        Assert.True(ProcessThreads.Named(ProcessThreads.WaiterName).Count <= 1);
    }
}
