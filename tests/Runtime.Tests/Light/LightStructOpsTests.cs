using System;
using System.Linq;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Light;
using BpfSkeleton.Links;
using BpfSkeleton.Loading;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using BpfSkeleton.Runtime.Tests.StructOps;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Light;

/// <summary>
/// struct_ops through the light skeleton's loader: matched to the running kernel's struct when it runs, shadow
/// edits made since open reach the kernel value, Attach registers (plain and .link maps), Dispose unregisters.
/// </summary>
[Collection("Kernel")]
public class LightStructOpsTests
{
    private static BpfObject OpenTcpWith(params string[] maps) => StructOpsTests.OpenTcpWith(maps);

    private static BpfLoaderImage RecordTcpWith(params string[] maps)
    {
        using var obj = OpenTcpWith(maps);
        return obj.RecordLoader();
    }

    [KernelFact(KernelNeeds.TcpCongestionOps, BpfProgramType.StructOps, nameof(FeatureProbes.StructOpsLink))]
    public void EditsReachTheKernelAttachRegistersAndDisposeUnregisters()
    {
        var loader = RecordTcpWith("plain_cc", "link_cc_alt");
        using (var obj = OpenTcpWith("plain_cc", "link_cc_alt"))
        {
            var plain = obj.StructOps("plain_cc");
            var name = plain.WriteMember(plain.Member("name"));
            name.Clear();
            System.Text.Encoding.ASCII.GetBytes(TestCongestionNames.For("bpfsk_light"), name);
            // Swapped for a program the recording loads for another map's same member.
            plain.SetProgram(plain.Member("cong_avoid"), obj.Program("cc_cong_avoid_alt"));
            obj.Load(loader);

            var match = plain.KernelMatch!;
            Assert.Equal("tcp_congestion_ops", match.KernelTypeName);
            var info = obj.Program("cc_cong_avoid_alt").GetInfo();
            Assert.Equal((uint)match.KernelTypeId, info.AttachBtfId); // the running kernel's struct, set before the run
            Assert.Equal(BpfProgramType.StructOps, info.Type);
            Assert.Equal(match.KernelValueSize, (int)obj.Map("plain_cc").Map.ValueSize);

            obj.Attach();
            Assert.True(CongestionControls.IsRegistered(TestCongestionNames.For("bpfsk_light")));
            Assert.True(CongestionControls.IsRegistered(TestCongestionNames.For("bpfsk_link")));
            TcpTransfer.Run(TestCongestionNames.For("bpfsk_light"), 4 << 20);
            Assert.True(obj.GlobalDataSection(".bss").Read<ulong>(24) > 0, "the swapped-in cong_avoid ran");
        }
        Assert.False(CongestionControls.IsRegistered(TestCongestionNames.For("bpfsk_light")));
        Assert.False(CongestionControls.IsRegistered(TestCongestionNames.For("bpfsk_link")));
    }

    /// <summary>As if recorded on a machine whose kernel numbers its types differently: the run replaces every recorded id.</summary>
    [KernelFact(KernelNeeds.TcpCongestionOps, BpfProgramType.StructOps)]
    public void TheRecordingKernelsLayoutIsReplacedByTheRunningKernels()
    {
        var loader = RecordTcpWith("plain_cc");
        Assert.NotEmpty(loader.StructOpsMaps);
        Assert.NotEmpty(loader.StructOpsPrograms);
        // The recorded values sit in the loader's data where the run's inputs are copied to.
        int RecordedAt(int input) => loader.Inputs.Single(i => i.Input == input).Data;
        foreach (var field in loader.StructOpsMaps.Concat(loader.StructOpsPrograms))
        {
            System.BitConverter.TryWriteBytes(loader.Data.AsSpan(RecordedAt(field.First)), 0x7fff_0001);
            System.BitConverter.TryWriteBytes(loader.Data.AsSpan(RecordedAt(field.Second)), 0x7fff_0002);
        }
        using var obj = OpenTcpWith("plain_cc");
        obj.Load(loader);
        using (obj.StructOps("plain_cc").Register())
            Assert.True(CongestionControls.IsRegistered(TestCongestionNames.For("bpfsk_plain")));
    }

    [KernelFact(KernelNeeds.TcpCongestionOps, BpfProgramType.StructOps)]
    public void AProgramTheRecordingDidNotLoadIsNamed()
    {
        var loader = RecordTcpWith("plain_cc");
        using var obj = OpenTcpWith("plain_cc");
        var plain = obj.StructOps("plain_cc");
        plain.SetProgram(plain.Member("cong_avoid"), obj.Program("cc_cong_avoid_alt"));
        var e = Assert.Throws<BpfLoadException>(() => obj.Load(loader));
        Assert.Contains("cc_cong_avoid_alt", e.Message);
        Assert.Contains("recorded without it", e.Message);
    }
}
