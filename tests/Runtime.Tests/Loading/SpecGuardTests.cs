using System;
using System.IO;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using BpfSkeleton.Specs;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Loading;

/// <summary>
/// An opened object's spec is edited through the state machine or not at all: its setters work before Load()
/// and afterwards fail with the message the object's own setters give. A spec nobody opened stays free.
/// </summary>
[Collection("Kernel")]
public class SpecGuardTests
{
    [KernelFact(BpfProgramType.Syscall)]
    public void AfterLoadEverySpecEditFailsAsTheObjectsOwnSettersDo()
    {
        using var obj = BpfObject.Open(TestObjects.PathOf("globals"));
        KernelRefusals.LeaveOut(obj);
        var program = obj.Program("on_getpid");
        var map = obj.Map("counters");
        var data = obj.GlobalDataSection(".data");
        program.Spec.AutoLoad = true; // before Load, as the wrapper allows
        map.Spec.MaxEntries = map.MaxEntries;

        obj.Load();

        var wrapper = Assert.Throws<InvalidOperationException>(() => program.AutoLoad = false);
        var direct = Assert.Throws<InvalidOperationException>(() => program.Spec.AutoLoad = false);
        Assert.Equal(wrapper.Message, direct.Message);
        Assert.Contains("can only be changed before Load()", direct.Message);
        Assert.Equal(Assert.Throws<InvalidOperationException>(() => map.MaxEntries = 1).Message,
            Assert.Throws<InvalidOperationException>(() => map.Spec.MaxEntries = 1).Message);
        Assert.Throws<InvalidOperationException>(() => program.Spec.Type = BpfProgramType.Xdp);
        Assert.Throws<InvalidOperationException>(() => program.Spec.Flags = ProgramFlags.Sleepable);
        Assert.Throws<InvalidOperationException>(() => program.Spec.AttachTarget = "x");
        Assert.Throws<InvalidOperationException>(() => map.Spec.Flags = 0);
        Assert.Throws<InvalidOperationException>(() => map.Spec.Pinning = MapPinning.ByName);
        Assert.Throws<InvalidOperationException>(() => map.Spec.AutoCreate = false);
        Assert.Throws<InvalidOperationException>(() => map.Spec.ValueTypeId = 0);
        Assert.Throws<InvalidOperationException>(() => data.Map.Spec.DataSection!.Resize(64, null));
        Assert.Equal(MapPinning.None, map.Spec.Pinning); // and nothing changed
        Assert.True(program.Spec.AutoLoad);
    }

    [KernelFact(KernelNeeds.TcpCongestionOps, BpfProgramType.StructOps)]
    public void AfterLoadAStructOpsSlotCannotBeRepointedThroughItsSpec()
    {
        using var obj = BpfObject.Open(TestObjects.PathOf("tcp_cc"));
        KernelRefusals.LeaveOut(obj);
        obj.Map("link_cc_alt").AutoCreate = false;
        var plain = obj.StructOps("plain_cc");
        var member = plain.Member("cong_avoid");
        plain.Spec.SetProgram(member, "cc_cong_avoid_alt"); // before Load: allowed

        obj.Load();

        Assert.Throws<InvalidOperationException>(() => plain.Spec.SetProgram(member, "cc_cong_avoid"));
        Assert.Throws<InvalidOperationException>(() => plain.SetProgram(member, obj.Program("cc_cong_avoid")));
        Assert.Equal("cc_cong_avoid_alt", plain.Spec.GetProgram(member));
    }

    [Fact]
    public void ASpecNobodyOpenedIsEditedFreely()
    {
        var spec = BpfObjectSpec.Parse(File.ReadAllBytes(TestObjects.PathOf("globals")), "globals.bpf.o");
        var map = spec.FindMap("counters")!;
        map.MaxEntries = 7;
        spec.FindProgram("on_getpid")!.AutoLoad = false;
        Assert.Equal(7u, map.MaxEntries);
        Assert.False(spec.FindProgram("on_getpid")!.AutoLoad);
    }
}
