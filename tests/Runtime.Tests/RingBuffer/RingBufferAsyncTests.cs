using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using BpfSkeleton.RingBuffer;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.RingBuffer;

[Collection("Kernel")]
public class RingBufferAsyncTests
{
    [KernelFact(BpfMapType.Ringbuf, BpfProgramType.Syscall)]
    public async Task WaitAsyncCompletesWhenDataArrives()
    {
        using var program = RingbufProgram.Load();
        using var reader = new BpfRingBuffer(program.Events, _ => 0);

        var wait = reader.WaitAsync().AsTask();
        await Task.Delay(50);
        Assert.False(wait.IsCompleted); // nothing produced yet
        program.Produce(5);
        Assert.True(await wait.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(5, reader.Consume());

        program.Produce(1);
        var ready = reader.WaitAsync();
        Assert.True(ready.IsCompletedSuccessfully); // data already there: no thread, no wait
        Assert.True(await ready);
    }

    [KernelFact(BpfMapType.Ringbuf, BpfProgramType.Syscall)]
    public async Task ReadAllAsyncYieldsCopiesFromEveryRingInOrder()
    {
        using var program = RingbufProgram.Load();
        int handlerCalls = 0;
        using var reader = new BpfRingBuffer();
        reader.Add(program.Events, _ => { handlerCalls++; return 0; });
        reader.Add(program.SizedEvents, _ => { handlerCalls++; return 0; });

        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var records = new List<RingBufferRecord>();
        var reading = Task.Run(async () =>
        {
            await foreach (var record in reader.ReadAllAsync(cancellation.Token))
            {
                records.Add(record);
                if (records.Count == 130)
                    break;
            }
        });
        program.Produce(100);
        program.ProduceSized(30);
        await reading;

        Assert.Equal(0, handlerCalls);
        var fixedSeqs = new List<ulong>();
        var sizedSeqs = new List<ulong>();
        foreach (var record in records)
        {
            ulong seq = BitConverter.ToUInt64(record.Data);
            if (record.Ring == 0)
            {
                Assert.Equal(16, record.Data.Length);
                fixedSeqs.Add(seq);
            }
            else
            {
                Assert.Equal(1, record.Ring);
                Assert.Equal(RingbufProgram.SizedLength(seq), record.Data.Length);
                sizedSeqs.Add(seq);
            }
        }
        Assert.Equal(100, fixedSeqs.Count);
        Assert.Equal(30, sizedSeqs.Count);
        for (int i = 0; i < fixedSeqs.Count; i++)
            Assert.Equal((ulong)i, fixedSeqs[i]);
        for (int i = 0; i < sizedSeqs.Count; i++)
            Assert.Equal((ulong)i, sizedSeqs[i]);
    }
}
