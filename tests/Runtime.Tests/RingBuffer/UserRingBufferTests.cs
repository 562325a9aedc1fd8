using System;
using BpfSkeleton.RingBuffer;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.RingBuffer;

/// <summary>C# produces into a BPF_MAP_TYPE_USER_RINGBUF; consume_user_records drains it in the kernel.</summary>
[Collection("Kernel")]
public class UserRingBufferTests
{
    [KernelFact(BpfMapType.UserRingbuf, BpfProgramType.Syscall)]
    public void SubmittedRecordsReachTheProgramAndDiscardedOnesDoNot()
    {
        using var program = RingbufProgram.Load();
        using var ring = new BpfUserRingBuffer(program.UserEvents);
        Assert.Equal(4096, ring.DataSize);

        ulong expectedSum = 0;
        int submitted = 0;
        for (ulong value = 1; value <= 60; value++)
        {
            Assert.True(ring.TryReserve(8 + (int)(value % 5), out var reservation));
            BitConverter.TryWriteBytes(reservation.Data, value);
            if (value % 4 == 0)
            {
                reservation.Discard();
                continue;
            }
            reservation.Submit();
            expectedSum += value;
            submitted++;
        }
        Assert.True(ring.TryWrite(1000UL));
        expectedSum += 1000;
        submitted++;

        Assert.Equal(submitted, program.ConsumeUserRecords());
        Assert.Equal((ulong)submitted, program.ReadBss("user_records"));
        Assert.Equal(expectedSum, program.ReadBss("user_sum"));
        Assert.Equal(4096, ring.FreeBytes);
    }

    [KernelFact(BpfMapType.UserRingbuf, BpfProgramType.Syscall)]
    public void FullRingRefusesUntilTheKernelDrainsIt()
    {
        using var program = RingbufProgram.Load();
        using var ring = new BpfUserRingBuffer(program.UserEvents);
        int written = 0;
        while (ring.TryWrite((ulong)written))
            written++;
        Assert.Equal(4096 / 16, written); // 8-byte value + 8-byte header
        Assert.Equal(0, ring.FreeBytes);

        var error = Record.Exception(() => ring.Reserve(8, timeoutMs: 50));
        Assert.IsType<TimeoutException>(error);

        Assert.Equal(written, program.ConsumeUserRecords());
        var reservation = ring.Reserve(8, timeoutMs: 1000);
        BitConverter.TryWriteBytes(reservation.Data, 7UL);
        reservation.Submit();
        Assert.Equal(1, program.ConsumeUserRecords());
    }

    [KernelFact(BpfMapType.UserRingbuf, BpfProgramType.Syscall)]
    public void AReservationStillOpenHoldsBackLaterRecords()
    {
        using var program = RingbufProgram.Load();
        using var ring = new BpfUserRingBuffer(program.UserEvents);
        Assert.True(ring.TryReserve(8, out var first));
        Assert.True(ring.TryWrite(2UL));

        Assert.Equal(0, program.ConsumeUserRecords()); // the kernel stops at the busy record

        BitConverter.TryWriteBytes(first.Data, 1UL);
        first.Submit();
        Assert.Equal(2, program.ConsumeUserRecords());
        Assert.Equal(3UL, program.ReadBss("user_sum"));
        Assert.Throws<InvalidOperationException>(() => CommitTwice(ring));
    }

    [KernelFact(BpfMapType.UserRingbuf, BpfMapType.Ringbuf)]
    public void RecordsThatCanNeverFitAreRejected()
    {
        using var program = RingbufProgram.Load();
        using var ring = new BpfUserRingBuffer(program.UserEvents);
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.TryReserve(4096, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.TryReserve(-1, out _));
        Assert.Throws<ArgumentException>(() => new BpfUserRingBuffer(program.Events));
    }

    private static void CommitTwice(BpfUserRingBuffer ring)
    {
        Assert.True(ring.TryReserve(8, out var reservation));
        var copy = reservation;
        reservation.Submit();
        copy.Submit();
    }
}
