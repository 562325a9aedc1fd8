using System;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using BpfSkeleton.Kernel;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.StructOps;

/// <summary>bpf_dummy_ops programs run through BPF_PROG_TEST_RUN and return what the BPF side computes.</summary>
[Collection("Kernel")]
public class DummyOpsTests
{
    [KernelFact(KernelNeeds.DummyOps, BpfProgramType.StructOps)]
    public unsafe void DummyOpsProgramsRunUnderTestRun()
    {
        using var obj = BpfObject.Open(TestObjects.PathOf("dummy_ops"));
        obj.Load();

        // test_1(state): the kernel copies *args[0] in and out of the program.
        int state = 2;
        var args = new byte[8]; // exactly one u64 per argument of test_1(state)
        BinaryPrimitives.WriteUInt64LittleEndian(args, (ulong)(nint)(&state));
        var result = obj.Program("dummy_test_1").TestRun(new BpfTestRunOptions { ContextIn = args });
        Assert.Equal(42u, result.ReturnValue);
        Assert.Equal(42, obj.GlobalDataSection(".bss").Read<int>(0));

        // test_2(state, a1, a2, a3, a4) returns a1 + a2 + a3 + a4.
        var args2 = new byte[8 * 5]; // test_2 has five arguments
        BinaryPrimitives.WriteUInt64LittleEndian(args2, (ulong)(nint)(&state));
        BinaryPrimitives.WriteUInt64LittleEndian(args2.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt64LittleEndian(args2.AsSpan(16), 2);
        BinaryPrimitives.WriteUInt64LittleEndian(args2.AsSpan(24), 3);
        BinaryPrimitives.WriteUInt64LittleEndian(args2.AsSpan(32), 4);
        var result2 = obj.Program("dummy_test_2").TestRun(new BpfTestRunOptions { ContextIn = args2 });
        Assert.Equal(10u, result2.ReturnValue);
    }
}
