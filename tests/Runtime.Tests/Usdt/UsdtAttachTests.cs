using System;
using System.Linq;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Links;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Usdt;

/// <summary>
/// USDT probes of native/usdt_target, attached on the real kernel: the BPF side must see exactly the
/// values the target passed, whatever the argument's location (constant, register, memory), size and sign.
/// </summary>
[Collection("Kernel")]
public class UsdtAttachTests
{
    [KernelFact(BpfProgramType.KProbe, nameof(FeatureProbes.UprobePmu))]
    public void EveryArgumentKindSizeAndSignWithCookie()
    {
        _ = (FeatureProbes.UprobeMultiLink, FeatureProbes.BpfCookie); // probe before the snapshot: their programs are gone by then
        var leaks = new LeakCheck();
        using (var obj = UsdtObject.Load())
        {
            using (var args = obj.Program("handle_args").AttachUsdt(-1, UsdtTarget.Path, "bpfsk", "args", new UsdtOptions { Cookie = 0xC0FFEE }))
            using (obj.Program("handle_memory").AttachUsdt(-1, UsdtTarget.Path, "bpfsk", "memory"))
            using (obj.Program("handle_noargs").AttachUsdt(-1, UsdtTarget.Path, "bpfsk", "noargs"))
            {
                Assert.Single(args.Sites);
                Assert.Equal(FeatureProbes.UprobeMultiLink.Supported, args.IsMulti);
                UsdtTarget.Run(count: 3);
            }
            Assert.Equal(3ul, obj.Read<ulong>("args_hits"));
            Assert.Equal(12, obj.Read<int>("args_count"));
            Assert.Equal(0xC0FFEE, obj.Read<long>("args_cookie"));
            Assert.All(obj.ReadArray<int>("args_results"), result => Assert.Equal(0, result));
            Assert.Equal(UsdtTarget.ArgsValues, obj.ReadArray<long>("args_values"));

            Assert.Equal(3ul, obj.Read<ulong>("memory_hits"));
            Assert.Equal(UsdtTarget.MemoryValues, obj.ReadArray<long>("memory_values"));

            Assert.Equal(3ul, obj.Read<ulong>("noargs_hits"));
            Assert.Equal(0, obj.Read<int>("noargs_count"));
            Assert.Equal(-2, obj.Read<int>("noargs_arg0_result")); // -ENOENT: no argument #0
        }
        leaks.AssertNothingLeaked();
    }

    [KernelFact(BpfProgramType.KProbe, nameof(FeatureProbes.UprobePmu))]
    public void TwoCallSitesGetTheirOwnSpecsAndShareTheCookie()
    {
        using var obj = UsdtObject.Load();
        using (var link = obj.Program("handle_sites").AttachUsdt(-1, UsdtTarget.Path, "bpfsk", "sites", new UsdtOptions { Cookie = 7 }))
        {
            Assert.Equal(2, link.Sites.Count);
            Assert.Equal(2, link.SpecIds.Distinct().Count()); // "-8@%rdi" and "-4@$77"
            UsdtTarget.Run(count: 4);
        }
        Assert.Equal(4ul, obj.Read<ulong>("sites_hits_42"));
        Assert.Equal(4ul, obj.Read<ulong>("sites_hits_77"));
        Assert.Equal(0ul, obj.Read<ulong>("sites_hits_other"));
        Assert.Equal(7, obj.Read<long>("sites_cookie"));
    }

    [KernelFact(BpfProgramType.KProbe, nameof(FeatureProbes.UprobePmu))]
    public void SemaphoreIsRaisedWhileAttached()
    {
        using var obj = UsdtObject.Load();
        Assert.Equal(0, UsdtTarget.Run());
        Assert.Equal(0ul, obj.Read<ulong>("sema_hits"));
        using (var link = obj.Program("handle_sema").AttachUsdt(-1, UsdtTarget.Path, "bpfsk", "sema"))
        {
            Assert.NotEqual(0ul, link.Sites[0].SemaphoreOffset);
            Assert.Equal(1, UsdtTarget.Run());
        }
        Assert.Equal(1ul, obj.Read<ulong>("sema_hits"));
        Assert.Equal(0x5e3a, obj.Read<long>("sema_value"));
        Assert.Equal(0, UsdtTarget.Run());
        Assert.Equal(1ul, obj.Read<ulong>("sema_hits"));
    }

    [KernelFact(BpfProgramType.KProbe, nameof(FeatureProbes.UprobePmu))]
    public void ProcessFilterLimitsTheProbeToOneProcess()
    {
        using var obj = UsdtObject.Load();
        using var paused = UsdtTarget.StartPaused(count: 2);
        using (obj.Program("handle_noargs").AttachUsdt(paused.Id, UsdtTarget.Path, "bpfsk", "noargs"))
        {
            UsdtTarget.Run(count: 5); // another process: filtered out
            UsdtTarget.Release(paused);
        }
        Assert.Equal(2ul, obj.Read<ulong>("noargs_hits"));
    }

    [KernelFact(BpfProgramType.KProbe, nameof(FeatureProbes.UprobePmu))]
    public void DisposeDetachesAndFreesSpecIdsForReuse()
    {
        using var obj = UsdtObject.Load();
        var program = obj.Program("handle_sites");
        int[] first;
        using (var link = program.AttachUsdt(-1, UsdtTarget.Path, "bpfsk", "sites"))
        {
            first = link.SpecIds.ToArray();
            UsdtTarget.Run();
        }
        UsdtTarget.Run(count: 3);
        Assert.Equal(1ul, obj.Read<ulong>("sites_hits_42"));
        using (var again = program.AttachUsdt(-1, UsdtTarget.Path, "bpfsk", "sites"))
            Assert.Equal(first.OrderBy(id => id), again.SpecIds.OrderBy(id => id));
    }

    [KernelFact(BpfProgramType.KProbe, nameof(FeatureProbes.UprobePmu))]
    public void PerSiteUprobesWhenNotLoadedForUprobeMulti()
    {
        // Any expected attach type set before Load is kept; only uprobe.multi gives one link for all sites.
        using var obj = UsdtObject.Load(o => o.Program("handle_sites").ExpectedAttachType = BpfAttachType.PerfEvent);
        using (var link = obj.Program("handle_sites").AttachUsdt(-1, UsdtTarget.Path, "bpfsk", "sites", new UsdtOptions { Cookie = 9 }))
        {
            Assert.False(link.IsMulti);
            Assert.Equal(2, link.Links.Count);
            Assert.All(link.Links, l => Assert.IsType<UprobeLink>(l));
            UsdtTarget.Run(count: 2);
        }
        Assert.Equal(2ul, obj.Read<ulong>("sites_hits_42"));
        Assert.Equal(2ul, obj.Read<ulong>("sites_hits_77"));
        Assert.Equal(9, obj.Read<long>("sites_cookie"));
    }

    [KernelFact(BpfProgramType.KProbe, nameof(FeatureProbes.UprobePmu))]
    public void SectionNamedProbeAutoAttaches()
    {
        using var obj = UsdtObject.Load(o => o.Program("handle_auto").Spec.AttachTarget = $"{UsdtTarget.Path}:bpfsk:noargs");
        Assert.True(obj.Program("handle_auto").CanAutoAttach);
        Assert.False(obj.Program("handle_noargs").CanAutoAttach); // bare SEC("usdt")
        obj.Attach();
        var link = Assert.IsType<UsdtLink>(Assert.Single(obj.Links));
        Assert.Equal("noargs", link.Name);
        UsdtTarget.Run(count: 2);
        obj.Detach();
        UsdtTarget.Run();
        Assert.Equal(2ul, obj.Read<ulong>("auto_hits"));
        Assert.Equal(0ul, obj.Read<ulong>("noargs_hits"));
    }

    [KernelFact(BpfProgramType.KProbe, nameof(FeatureProbes.BpfCookie))]
    public void FailuresSayWhatFailed()
    {
        using var obj = UsdtObject.Load();
        var program = obj.Program("handle_args");

        var missing = Assert.Throws<BpfException>(() => program.AttachUsdt(-1, UsdtTarget.Path, "bpfsk", "nosuch"));
        Assert.Contains("bpfsk:nosuch", missing.Message);
        Assert.Contains("bpfsk:args", missing.Message); // lists what the file has

        var noBinary = Assert.Throws<BpfException>(() => program.AttachUsdt(-1, "/nonexistent/usdt_target", "bpfsk", "args"));
        Assert.Contains("/nonexistent/usdt_target", noBinary.Message);

        var noNotes = Assert.Throws<BpfException>(() => program.AttachUsdt(-1, ObjectModel.ExternalTool.Find("true"), "bpfsk", "args"));
        Assert.Contains(".note.stapsdt", noNotes.Message);

        using var plain = Attach.AttachObjects.Load("attach_probe");
        var noMaps = Assert.Throws<BpfException>(() => plain.Program("on_uprobe").AttachUsdt(-1, UsdtTarget.Path, "bpfsk", "args"));
        Assert.Contains("usdt.bpf.h", noMaps.Message);

        // A section target that names no <path>:<provider>:<name> (set before Load: the spec is frozen after).
        using var badSection = UsdtObject.Load(o => o.Program("handle_auto").Spec.AttachTarget = "only:two");
        Assert.Contains("usdt/<path>:<provider>:<name>",
            Assert.Throws<InvalidOperationException>(() => badSection.Program("handle_auto").Attach()).Message);
    }
}
