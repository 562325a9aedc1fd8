using System.Linq;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Loading;

/// <summary>
/// Loading never writes into the spec: everything reachable from it (instructions, map definitions, data
/// images, struct_ops data and slots, BTF, externs) is the same, field by field, before and after Load(),
/// and after a failed load. (usdt's LINUX_HAS_BPF_COOKIE is a kconfig extern: resolved into the load's own image.) What the load made lives in the object's loaded state only.
/// </summary>
[Collection("Kernel")]
public class SpecUnchangedByLoadTests
{
    [KernelTheory]
    [MemberData(nameof(LoadEveryObjectTests.LoadableObjects), MemberType = typeof(LoadEveryObjectTests))]
    public void LoadLeavesTheSpecAsOpened(string name)
    {
        using var pins = new TempPinDirectory();
        using var obj = BpfObject.Open(TestObjects.PathOf(name), new BpfOpenOptions { PinRoot = pins.Path });
        KernelRefusals.LeaveOut(obj);
        var before = SpecSnapshot.Of(obj.Spec);

        obj.Load();

        AssertSame(before, SpecSnapshot.Of(obj.Spec));
        obj.Dispose();
        AssertSame(before, SpecSnapshot.Of(obj.Spec));
    }

    [KernelFact(KernelNeeds.TcpCongestionOps, BpfProgramType.StructOps)]
    public void EditsBeforeLoadStayAndTheLoadAddsNothing()
    {
        using var obj = BpfObject.Open(TestObjects.PathOf("tcp_cc"));
        KernelRefusals.LeaveOut(obj);
        var plain = obj.StructOps("plain_cc");
        plain.SetProgram(plain.Member("cong_avoid"), obj.Program("cc_cong_avoid_alt"));
        obj.Map("link_cc_alt").AutoCreate = false;
        var before = SpecSnapshot.Of(obj.Spec);

        obj.Load();

        AssertSame(before, SpecSnapshot.Of(obj.Spec));
        Assert.Equal("cc_cong_avoid_alt", plain.GetProgram(plain.Member("cong_avoid"))!.Name);
    }

    [KernelFact(BpfProgramType.Syscall)]
    public void AFailedLoadLeavesTheSpecAsOpened()
    {
        using var obj = BpfObject.Open(TestObjects.PathOf("globals"));
        KernelRefusals.LeaveOut(obj);
        obj.Program("count_xdp").Flags |= Specs.ProgramFlags.Sleepable; // XDP cannot sleep: the verifier refuses it
        var before = SpecSnapshot.Of(obj.Spec);

        Assert.Throws<BpfVerifierException>(obj.Load);

        AssertSame(before, SpecSnapshot.Of(obj.Spec));
    }

    private static void AssertSame(System.Collections.Generic.List<string> before, System.Collections.Generic.List<string> after)
    {
        var changed = before.Except(after).Take(10).ToList();
        var added = after.Except(before).Take(10).ToList();
        Assert.True(changed.Count == 0 && added.Count == 0 && before.Count == after.Count,
            $"the spec changed ({before.Count} -> {after.Count} values):\n  was: {string.Join("\n  was: ", changed)}\n  now: {string.Join("\n  now: ", added)}");
    }
}
