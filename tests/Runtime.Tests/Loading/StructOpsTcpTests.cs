using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Links;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Loading;

/// <summary>tcp_congestion_ops implemented in BPF, registered and exercised over loopback TCP.</summary>
[Collection("Kernel")]
public class StructOpsTcpTests
{
    private const string Available = "/proc/sys/net/ipv4/tcp_available_congestion_control";

    private static bool IsRegistered(string name)
        => Array.IndexOf(File.ReadAllText(Available).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), name) >= 0;

    [KernelTheory(KernelNeeds.TcpCongestionOps, BpfProgramType.StructOps, nameof(FeatureProbes.StructOpsLink))]
    [InlineData("plain_cc", "bpfsk_plain")]
    [InlineData("link_cc", "bpfsk_link")]
    public void RegisteredCongestionControlRunsAndUnregistersOnDispose(string mapName, string ccName)
    {
        using (var obj = BpfObject.Open(TestObjects.PathOf("tcp_cc")))
        {
            // Only the map under test: the others share names.
            foreach (var map in obj.StructOpsMaps) map.Map.AutoCreate = map.Name == mapName;
            StructOps.StructOpsTests.RenameCongestionControls(obj);
            ccName = TestCongestionNames.For(ccName);
            obj.Load();
            Assert.False(IsRegistered(ccName)); // Load never activates
            using (obj.StructOps(mapName).Register())
            {
                Assert.True(IsRegistered(ccName));
                TcpTransfer.Run(ccName, 4 << 20);
                var bss = obj.GlobalDataSection(".bss");
                Assert.True(bss.Read<ulong>(0) > 0, "init ran");
                Assert.True(bss.Read<ulong>(16) > 0, "cong_avoid ran");
            }
            Assert.False(IsRegistered(ccName));
        }
    }
}
