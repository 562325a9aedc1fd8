using System;
using System.Runtime.InteropServices;
using BpfSkeleton.Kernel;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;

namespace BpfSkeleton.Runtime.Tests.RingBuffer;

/// <summary>The record ringbuf.bpf.c's produce writes: a sequence number and its complement.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct SequencedEvent
{
    public ulong Seq;
    public ulong Check;
}

/// <summary>ringbuf.bpf.c loaded, with its syscall producers callable from C#.</summary>
public sealed class RingbufProgram : IDisposable
{
    private RingbufProgram(BpfObject obj) => Object = obj;

    public BpfObject Object { get; }

    public BpfMap Events => Object.Map("events").Map;

    public BpfMap SizedEvents => Object.Map("sized_events").Map;

    public BpfMap UserEvents => Object.Map("user_events").Map;

    public BpfGlobalData Bss => Object.GlobalDataSection(".bss");

    /// <summary>Opens and loads the object; <paramref name="eventsSize"/> overrides the events ring's size.</summary>
    public static RingbufProgram Load(uint eventsSize = 0)
    {
        var obj = BpfObject.Open(TestObjects.PathOf("ringbuf"));
        try
        {
            KernelRefusals.LeaveOut(obj);
            if (eventsSize != 0)
                obj.Map("events").MaxEntries = eventsSize;
            obj.Load();
            return new RingbufProgram(obj);
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }

    /// <summary>Runs produce: up to <paramref name="count"/> records into events; returns how many were reserved (fewer when full).</summary>
    public int Produce(uint count, uint discardEvery = 0) => Run("produce", count, discardEvery);

    /// <summary>Runs produce_sized: up to <paramref name="count"/> variable-size records into sized_events.</summary>
    public int ProduceSized(uint count) => Run("produce_sized", count, 0);

    /// <summary>Runs consume_user_records; returns how many records the kernel drained.</summary>
    public int ConsumeUserRecords() => (int)Object.Program("consume_user_records").TestRun(
        new BpfTestRunOptions { ContextIn = new byte[8] }).ReturnValue;

    public ulong ReadBss(string variable) => MemoryMarshal.Read<ulong>(Bss.Variable(variable));

    public int BssOffset(string variable) => Bss.Spec.FindVariable(variable)!.Offset;

    /// <summary>Length produce_sized gives the record with sequence number <paramref name="seq"/>.</summary>
    public static int SizedLength(ulong seq) => 8 + (int)(seq * 7 % 249);

    private int Run(string program, uint count, uint discardEvery)
    {
        var args = new byte[8];
        BitConverter.TryWriteBytes(args.AsSpan(0, 4), count);
        BitConverter.TryWriteBytes(args.AsSpan(4, 4), discardEvery);
        return (int)Object.Program(program).TestRun(new BpfTestRunOptions { ContextIn = args }).ReturnValue;
    }

    public void Dispose() => Object.Dispose();
}
