using System;
using System.Linq;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.StructOps;

/// <summary>Local struct_ops types the kernel cannot take: clear errors naming the member, and no leaks.</summary>
[Collection("Kernel")]
public class StructOpsErrorTests
{
    private static BpfObject OpenWith(string map)
    {
        var obj = BpfObject.Open(TestObjects.PathOf("struct_ops_errors"));
        KernelRefusals.LeaveOut(obj);
        foreach (var ops in obj.StructOpsMaps) ops.Map.AutoCreate = ops.Name == map;
        return obj;
    }

    private static BpfLoadException LoadFails(string map)
    {
        var leaks = new LeakCheck();
        BpfLoadException error;
        using (var obj = OpenWith(map))
        {
            error = Assert.Throws<BpfLoadException>(obj.Load);
            Assert.Equal(BpfObjectState.Failed, obj.State);
        }
        leaks.AssertNothingLeaked();
        return error;
    }

    [KernelFact(KernelNeeds.TcpCongestionOps)]
    public void NonZeroMemberTheKernelLacksIsNamed()
    {
        var error = LoadFails("extra_set");
        Assert.Contains("'made_up_member'", error.Message);
        Assert.Contains("has no such member", error.Message);
    }

    [KernelFact(KernelNeeds.TcpCongestionOps, BpfProgramType.StructOps)]
    public void ZeroMemberTheKernelLacksIsAllowedAndReported()
    {
        using var obj = OpenWith("extra_zero");
        obj.Load();
        Assert.Equal(new[] { "made_up_member" }, obj.StructOps("extra_zero").KernelMatch!.MissingInKernel.ToArray());
    }

    [KernelFact(KernelNeeds.TcpCongestionOps)]
    public void MemberSizeMismatchNamesBothSides()
    {
        var error = LoadFails("wrong_size");
        Assert.Contains("'flags'", error.Message);
        Assert.Contains("8 bytes", error.Message);
        Assert.Contains("4 bytes", error.Message);
    }

    [KernelFact]
    public void StructTypeUnknownToTheKernel()
    {
        var error = LoadFails("unknown_type");
        Assert.Contains("no struct_ops type 'no_such_ops'", error.Message);
    }

    [KernelFact]
    public void ProgramThatIsNotStructOpsIsRejected()
    {
        using var obj = OpenWith("extra_zero");
        var ops = obj.StructOps("extra_zero");
        var error = Assert.Throws<ArgumentException>(() => ops.SetProgram(ops.Member("ssthresh"), obj.Program("not_struct_ops")));
        Assert.Contains("can only point to a struct_ops program", error.Message);
        Assert.Contains("'not_struct_ops' is Tracepoint", error.Message);
        Assert.Equal("err_ssthresh", ops.GetProgram(ops.Member("ssthresh"))!.Name);
    }
}
