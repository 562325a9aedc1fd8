using System.Collections.Generic;
using System.Linq;
using BpfSkeleton.Interop;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Links;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Usdt;

/// <summary>
/// USDT on kernels without BPF cookies (before 5.15, e.g. RHEL 8's and Ubuntu 20.04's). There
/// usdt.bpf.h finds a call site's argument spec by the probe's address, in
/// __bpf_usdt_ip_to_spec_id, and each site is its own perf-event uprobe. This kernel has cookies,
/// so the object is opened as if it had none. That sets LINUX_HAS_BPF_COOKIE to 0 in the BPF code,
/// and attach fills the address map. The BPF side must still see every argument and the USDT cookie.
/// </summary>
[Collection("Kernel")]
public class UsdtWithoutCookiesTests
{
    private static BpfObject LoadWithoutCookies() => UsdtObject.Load(obj =>
    {
        foreach (var name in new[] { "handle_args", "handle_memory", "handle_sites" })
            obj.Program(name).ExpectedAttachType = BpfAttachType.PerfEvent; // uprobe.multi came after cookies
    }, new BpfOpenOptions { AssumeNoBpfCookies = true });

    private static ulong[] Addresses(BpfObject obj)
    {
        var addresses = new List<ulong>();
        foreach (ulong address in obj.Map(UsdtManager.AddressMapName).Map.Keys<ulong>())
            addresses.Add(address);
        return addresses.ToArray();
    }

    [KernelFact(BpfProgramType.KProbe, nameof(FeatureProbes.UprobePmu))]
    public void SitesOfAnExecutableAreFoundByTheirLinkedAddress()
    {
        var leaks = new LeakCheck();
        using (var obj = LoadWithoutCookies())
        {
            using (var args = obj.Program("handle_args").AttachUsdt(-1, UsdtTarget.Path, "bpfsk", "args", new UsdtOptions { Cookie = 0xC0FFEE }))
            using (var memory = obj.Program("handle_memory").AttachUsdt(-1, UsdtTarget.Path, "bpfsk", "memory"))
            using (var sites = obj.Program("handle_sites").AttachUsdt(-1, UsdtTarget.Path, "bpfsk", "sites", new UsdtOptions { Cookie = 7 }))
            {
                Assert.False(args.IsMulti);
                Assert.All(args.Links.Concat(sites.Links), link => Assert.IsType<UprobeLink>(link));
                // An executable runs where it was linked: the map holds each site's linked address.
                var expected = args.Sites.Concat(memory.Sites).Concat(sites.Sites).Select(site => site.Address).OrderBy(a => a);
                Assert.Equal(expected, Addresses(obj).OrderBy(a => a));
                UsdtTarget.Run(count: 3);
            }
            Assert.Empty(Addresses(obj)); // detach takes the sites out again

            Assert.Equal(3ul, obj.Read<ulong>("args_hits"));
            Assert.Equal(12, obj.Read<int>("args_count"));
            Assert.Equal(0xC0FFEE, obj.Read<long>("args_cookie")); // the USDT cookie travels in the spec
            Assert.All(obj.ReadArray<int>("args_results"), result => Assert.Equal(0, result));
            Assert.Equal(UsdtTarget.ArgsValues, obj.ReadArray<long>("args_values"));
            Assert.Equal(3ul, obj.Read<ulong>("memory_hits"));
            Assert.Equal(UsdtTarget.MemoryValues, obj.ReadArray<long>("memory_values"));
            Assert.Equal(3ul, obj.Read<ulong>("sites_hits_42"));
            Assert.Equal(3ul, obj.Read<ulong>("sites_hits_77"));
            Assert.Equal(0ul, obj.Read<ulong>("sites_hits_other"));
            Assert.Equal(7, obj.Read<long>("sites_cookie"));
        }
        leaks.AssertNothingLeaked();
    }

    [KernelFact(BpfProgramType.KProbe, nameof(FeatureProbes.UprobePmu))]
    public void SitesOfAPieAreFoundWhereTheProcessHasThem()
    {
        using var obj = LoadWithoutCookies();
        var program = obj.Program("handle_sites");
        // Each process maps a PIE at its own address, so without cookies one process must be named.
        var everywhere = Assert.Throws<BpfNotSupportedException>(() => program.AttachUsdt(-1, UsdtTarget.PiePath, "bpfsk", "sites"));
        Assert.Contains("pass its pid", everywhere.Message);
        Assert.Empty(Addresses(obj));

        using var paused = UsdtTarget.StartPaused(count: 2, UsdtTarget.PiePath);
        using (var link = program.AttachUsdt(paused.Id, UsdtTarget.PiePath, "bpfsk", "sites", new UsdtOptions { Cookie = 5 }))
        {
            var addresses = Addresses(obj);
            Assert.Equal(2, addresses.Length);
            Assert.All(link.Sites, site => Assert.DoesNotContain(site.Address, addresses)); // relocated, not as linked
            UsdtTarget.Release(paused);
        }
        Assert.Equal(2ul, obj.Read<ulong>("sites_hits_42"));
        Assert.Equal(2ul, obj.Read<ulong>("sites_hits_77"));
        Assert.Equal(0ul, obj.Read<ulong>("sites_hits_other"));
        Assert.Equal(5, obj.Read<long>("sites_cookie"));
    }

    [KernelFact(BpfProgramType.KProbe, nameof(FeatureProbes.UprobePmu))]
    public void ASiteCanBeAttachedOnlyOnce()
    {
        using var obj = LoadWithoutCookies();
        var program = obj.Program("handle_sites");
        using (var first = program.AttachUsdt(-1, UsdtTarget.Path, "bpfsk", "sites"))
        {
            // The address map has one spec per address: a second attachment would take over the first's sites.
            var twice = Assert.Throws<BpfException>(() => program.AttachUsdt(-1, UsdtTarget.Path, "bpfsk", "sites"));
            Assert.Equal(Errno.EEXIST, twice.Errno);
            Assert.Contains("attached once", twice.Message);
            Assert.Equal(2, Addresses(obj).Length); // the failed attach left the first one's entries alone
            UsdtTarget.Run();
        }
        Assert.Equal(1ul, obj.Read<ulong>("sites_hits_42"));
        Assert.Equal(1ul, obj.Read<ulong>("sites_hits_77"));
    }
}
