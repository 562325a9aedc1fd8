using System;
using System.Diagnostics;
using System.Runtime.InteropServices;
using BpfSkeleton.Kernel;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Links;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;
using Xunit.Abstractions;

namespace BpfSkeleton.Runtime.Tests.Attach;

/// <summary>Uprobes on libc's getppid and on a library the test builds; kprobes where the kernel has them.</summary>
[Collection("Kernel")]
public unsafe class ProbeAttachTests
{
    private readonly ITestOutputHelper _output;

    public ProbeAttachTests(ITestOutputHelper output) => _output = output;

    [KernelFact(BpfProgramType.KProbe, nameof(FeatureProbes.UprobePmu), nameof(FeatureProbes.BpfCookie))]
    public void UprobeByLibraryNameWithCookie()
    {
        using var obj = AttachObjects.Load("attach_probe");
        var program = obj.Program("on_uprobe");
        Assert.False(program.CanAutoAttach); // bare SEC("uprobe")
        using (var link = program.AttachUprobe("libc.so.6", "getppid", cookie: 0xC0FFEE))
        {
            Assert.Equal(LdSoCache.Find("libc.so.6"), link.BinaryPath);
            Assert.Equal(BpfLinkType.PerfEvent, link.Info.Type);
            AttachObjects.CallGetppid(50);
        }
        Assert.InRange(obj.Count(Slot.Uprobe), 50ul, 60ul);
        Assert.Equal(0xC0FFEEul, obj.Count(Slot.Cookie));
        AttachObjects.CallGetppid(10);
        Assert.InRange(obj.Count(Slot.Uprobe), 50ul, 60ul);
    }

    [KernelFact(BpfProgramType.KProbe, nameof(FeatureProbes.UprobePmu), nameof(FeatureProbes.BpfCookie))]
    public void UprobeProcessFilter()
    {
        // Count every process in the program: only the kernel's pid filter decides.
        using var obj = AttachObjects.Load("attach_probe", targetTgid: 0);
        using var other = Process.Start(new ProcessStartInfo("sleep", "30"))!;
        try
        {
            using (obj.Program("on_uprobe").AttachUprobe("libc.so.6", "getppid", processId: other.Id))
                AttachObjects.CallGetppid(50);
            Assert.Equal(0ul, obj.Count(Slot.Uprobe));
            using (obj.Program("on_uprobe").AttachUprobe("libc.so.6", new UprobeOptions { FunctionName = "getppid", ProcessId = Environment.ProcessId }))
                AttachObjects.CallGetppid(50);
            Assert.InRange(obj.Count(Slot.Uprobe), 50ul, 60ul);
        }
        finally
        {
            other.Kill();
        }
    }

    [KernelFact(BpfProgramType.KProbe, nameof(FeatureProbes.UprobePmu), nameof(FeatureProbes.BpfCookie), nameof(FeatureProbes.UprobeMultiLink))]
    public void SectionNamedUretprobeSleepableAndMultiUprobes()
    {
        using var obj = AttachObjects.Load("attach_probe");
        foreach (string name in new[] { "on_uretprobe", "on_uprobe_sleepable", "on_uprobe_multi" })
            Assert.True(obj.Program(name).CanAutoAttach, name);
        using (var ret = (UprobeLink)obj.Program("on_uretprobe").Attach())
        using (obj.Program("on_uprobe_sleepable").Attach())
        using (var multi = (UprobeMultiLink)obj.Program("on_uprobe_multi").Attach())
        {
            Assert.True(ret.IsReturn);
            Assert.Single(multi.Offsets); // "getppi?" matches getppid only
            Assert.Equal(BpfLinkType.UProbeMulti, multi.Info.Type);
            AttachObjects.CallGetppid(30);
        }
        Assert.InRange(obj.Count(Slot.Uretprobe), 30ul, 40ul);
        Assert.InRange(obj.Count(Slot.UprobeSleepable), 30ul, 40ul);
        Assert.InRange(obj.Count(Slot.UprobeMulti), 30ul, 40ul);
    }

    [KernelFact(BpfProgramType.KProbe, nameof(FeatureProbes.BpfCookie), nameof(FeatureProbes.UprobeMultiLink))]
    public void UprobeMultiByNamesWithPidFilter()
    {
        using var obj = AttachObjects.Load("attach_probe", targetTgid: 0);
        var options = new UprobeMultiOptions { FunctionNames = new[] { "getppid" }, ProcessId = Environment.ProcessId, Cookies = new ulong[] { 7 } };
        using (obj.Program("on_uprobe_multi").AttachUprobeMulti("libc.so.6", options))
            AttachObjects.CallGetppid(25);
        Assert.InRange(obj.Count(Slot.UprobeMulti), 25ul, 35ul);
        Assert.Throws<ArgumentException>(() => obj.Program("on_uprobe_multi").AttachUprobeMulti("libc.so.6",
            new UprobeMultiOptions { FunctionNames = new[] { "getppid" }, Pattern = "get*" }));
    }

    [KernelFact(BpfProgramType.KProbe, nameof(FeatureProbes.UprobePmu), nameof(FeatureProbes.BpfCookie))]
    public void UprobesInABuiltLibraryWithShiftedAddresses()
    {
        IntPtr library = NativeLibrary.Load(NativeProbeTarget.Path);
        try
        {
            var add = (delegate* unmanaged<int, int, int>)NativeLibrary.GetExport(library, "bpfsk_add");
            var callHidden = (delegate* unmanaged<int, int>)NativeLibrary.GetExport(library, "bpfsk_call_hidden");
            using var obj = AttachObjects.Load("attach_probe");
            using (obj.Program("on_uprobe").AttachUprobe(NativeProbeTarget.Path, "bpfsk_add"))
            using (obj.Program("on_uretprobe").AttachUprobe(NativeProbeTarget.Path, "bpfsk_hidden", isReturn: true)) // .symtab only
            {
                for (int i = 0; i < 10; i++)
                {
                    Assert.Equal(i + 1, add(i, 1));
                    Assert.Equal(2 * i + 1, callHidden(i));
                }
            }
            Assert.Equal(10ul, obj.Count(Slot.Uprobe));
            Assert.Equal(10ul, obj.Count(Slot.Uretprobe));
        }
        finally
        {
            NativeLibrary.Free(library);
        }
    }

    [KernelFact(BpfProgramType.KProbe, nameof(FeatureProbes.BpfCookie))]
    public void UprobeErrorsNameTheProblem()
    {
        using var obj = AttachObjects.Load("attach_probe");
        var e = Assert.Throws<BpfException>(() => obj.Program("on_uprobe").AttachUprobe("libc.so.6", "no_such_function_here"));
        Assert.Contains("no such function symbol", e.Message);
        e = Assert.Throws<BpfException>(() => obj.Program("on_uprobe").AttachUprobe("libnot-there.so.3", "f"));
        Assert.Equal("ENOENT", e.ErrnoName);
    }

    /// <summary>Kprobe sections attach where the kernel has kprobes, and otherwise fail saying why.</summary>
    [KernelFact(BpfProgramType.KProbe, nameof(FeatureProbes.BpfCookie))]
    public void KprobeSectionsAttachOrExplainWhyNot()
    {
        using var obj = AttachObjects.Load("attach_probe");
        foreach (string name in new[] { "on_kprobe", "on_kretprobe", "on_ksyscall" })
        {
            var program = obj.Program(name);
            Assert.True(program.CanAutoAttach, name);
            if (FeatureProbes.KprobePmu.Supported)
            {
                using var link = program.Attach();
                Assert.Equal(BpfLinkType.PerfEvent, link.Info.Type);
                continue;
            }
            var e = Assert.Throws<BpfNotSupportedException>(() => program.Attach());
            Assert.Contains("kprobe PMU not available: CONFIG_KPROBES is off (no /sys/bus/event_source/devices/kprobe)", e.Message);
            _output.WriteLine($"{name}: {e.Message}");
        }
        var multi = obj.Program("on_kprobe_multi");
        Assert.True(multi.CanAutoAttach);
        if (FeatureProbes.KprobeMultiLink.Supported)
        {
            using var link = multi.Attach();
            Assert.Equal(BpfLinkType.KProbeMulti, link.Info.Type);
        }
        else
        {
            var e = Assert.Throws<BpfNotSupportedException>(() => multi.Attach());
            Assert.Contains("kprobe.multi not available", e.Message);
            Assert.Contains(FeatureProbes.KprobeMultiLink.Reason, e.Message);
            _output.WriteLine($"on_kprobe_multi: {e.Message}");
        }
    }

    [KernelFact(BpfProgramType.KProbe, nameof(FeatureProbes.BpfCookie), nameof(FeatureProbes.KprobePmu))]
    public void KsyscallCountsGetppid()
    {
        using var obj = AttachObjects.Load("attach_probe");
        using (var link = obj.Program("on_ksyscall").AttachKsyscall("getppid"))
        {
            Assert.Equal("__x64_sys_getppid", link.Function);
            AttachObjects.CallGetppid(20);
        }
        Assert.True(obj.Count(Slot.Kprobe) >= 20);
    }

    [KernelFact(BpfProgramType.KProbe, nameof(FeatureProbes.BpfCookie), nameof(FeatureProbes.KprobeMultiLink))]
    public void KprobeMultiCountsNanosleep()
    {
        using var obj = AttachObjects.Load("attach_probe");
        using (obj.Program("on_kprobe_multi").AttachKprobeMulti(new[] { "do_nanosleep" }))
            System.Threading.Thread.Sleep(5);
        Assert.True(obj.Count(Slot.Kprobe) >= 1);
    }
}
