using System;
using BpfSkeleton.Kernel;
using BpfSkeleton.Links;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Kernel;

/// <summary>XDP and tcx links on a veth pair inside a private network namespace.</summary>
[Collection("Kernel")]
public class NetLinkTests
{
    [KernelFact(BpfProgramType.Xdp, BpfProgramType.SchedCls)]
    public void XdpAndTcxLinksOnVethInNetns()
    {
        using var ns = NetworkNamespace.Create("");
        ns.Ip("link add veth0 type veth peer name veth1");
        ns.Ip("link set veth0 up");
        ns.Run(AttachInNamespace);
    }

    private static void AttachInNamespace()
    {
        using var pass = BpfProgramHandle.Load(new BpfProgramLoadOptions
        {
            Type = BpfProgramType.Xdp, ExpectedAttachType = BpfAttachType.Xdp, Name = "xdp_pass",
            Instructions = Asm.Program(Asm.Mov64Imm(Asm.R0, 2), Asm.Exit()),
        });
        using var passToo = BpfProgramHandle.Load(new BpfProgramLoadOptions
        {
            Type = BpfProgramType.Xdp, ExpectedAttachType = BpfAttachType.Xdp, Name = "xdp_pass2",
            Instructions = Asm.Program(Asm.Mov64Imm(Asm.R0, 2), Asm.Mov64Imm(Asm.R0, 2), Asm.Exit()),
        });
        using (var xdp = XdpLink.Attach(pass, "veth0"))
        {
            BpfLinkInfo info = xdp.Info;
            Assert.Equal(BpfLinkType.Xdp, info.Type);
            Assert.NotEqual(0u, info.IfIndex);
            Assert.Equal(pass.Id, info.ProgramId);
            xdp.Update(passToo);
            Assert.Equal(passToo.Id, xdp.Info.ProgramId);
            Assert.Throws<BpfException>(() => XdpLink.Attach(pass, "veth0"));
        }

        using var tc = BpfProgramHandle.Load(new BpfProgramLoadOptions
        {
            Type = BpfProgramType.SchedCls, ExpectedAttachType = BpfAttachType.TcxIngress, Name = "tc_ok",
            Instructions = Asm.Program(Asm.Mov64Imm(Asm.R0, -1), Asm.Exit()), // TCX_NEXT
        });
        using var ingress = TcxLink.Attach(tc, "veth0", BpfAttachType.TcxIngress);
        using var egress = TcxLink.Attach(tc, "veth1", BpfAttachType.TcxEgress);
        Assert.Equal(BpfLinkType.Tcx, ingress.Info.Type);
        Assert.Equal(BpfAttachType.TcxIngress, ingress.Info.AttachType);
        Assert.Equal(BpfAttachType.TcxEgress, egress.Info.AttachType);
        Assert.NotEqual(ingress.Info.IfIndex, egress.Info.IfIndex);
    }
}
