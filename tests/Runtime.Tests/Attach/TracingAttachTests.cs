using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using BpfSkeleton.Kernel;
using BpfSkeleton.Links;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Attach;

/// <summary>Tracepoints, raw_tp, tp_btf, perf events and iterators attached from attach_trace.bpf.o.</summary>
[Collection("Kernel")]
public class TracingAttachTests
{
    [KernelFact(BpfProgramType.Tracepoint, BpfProgramType.RawTracepoint, BpfProgramType.Tracing)]
    public void SectionNamedTracepointsCountGetppid()
    {
        BpfFs.EnsureTracefs();
        using var obj = AttachObjects.Load("attach_trace");
        foreach (string name in new[] { "on_tracepoint", "on_raw_tp", "on_tp_btf" })
            Assert.True(obj.Program(name).CanAutoAttach, name);
        using (var tracepoint = obj.Program("on_tracepoint").Attach())
        using (var rawTp = obj.Program("on_raw_tp").Attach())
        using (var tpBtf = obj.Program("on_tp_btf").Attach())
        {
            Assert.IsType<PerfEventLink>(tracepoint);
            Assert.Equal(BpfLinkType.RawTracepoint, rawTp.Info.Type);
            Assert.Equal(BpfLinkType.RawTracepoint, tpBtf.Info.Type); // tp_btf links are raw tracepoint links in the kernel
            AttachObjects.CallGetppid(100);
        }
        Assert.InRange(obj.Count(Slot.Tracepoint), 100ul, 200ul);
        Assert.True(obj.Count(Slot.RawTp) >= 100);
        Assert.True(obj.Count(Slot.TpBtf) >= 100);

        ulong afterDetach = obj.Count(Slot.Tracepoint), rawAfterDetach = obj.Count(Slot.RawTp);
        AttachObjects.CallGetppid(10);
        Assert.Equal((afterDetach, rawAfterDetach), (obj.Count(Slot.Tracepoint), obj.Count(Slot.RawTp)));
    }

    [KernelFact(BpfProgramType.Tracepoint, BpfProgramType.RawTracepoint)]
    public void ExplicitTracepointAndRawTracepointAttach()
    {
        BpfFs.EnsureTracefs();
        using var obj = AttachObjects.Load("attach_trace");
        using (obj.Program("on_tracepoint").AttachTracepoint("syscalls", "sys_enter_getppid"))
        using (obj.Program("on_raw_tp").AttachRawTracepoint("sys_enter"))
            AttachObjects.CallGetppid(20);
        Assert.True(obj.Count(Slot.Tracepoint) >= 20);
        Assert.True(obj.Count(Slot.RawTp) >= 20);
        var e = Assert.Throws<BpfException>(() => obj.Program("on_tracepoint").AttachTracepoint("syscalls", "sys_enter_no_such_call"));
        Assert.Contains("no such tracepoint", e.Message);
    }

    [KernelFact(BpfProgramType.PerfEvent)]
    public void PerfEventOnCpuClockSamplesThisThread()
    {
        using var obj = AttachObjects.Load("attach_trace");
        // pid 0 and cpu -1: this thread, wherever it runs; 1000 samples a second of its CPU time.
        using (var link = obj.Program("on_perf_event").AttachPerfEvent(PerfEventConfig.CpuClock(1000), cpu: -1, pid: 0))
        {
            Assert.Equal(BpfLinkType.PerfEvent, link.Info.Type);
            // 300 ms of this thread's CPU, however long a loaded machine takes to give it: the clock samples CPU time.
            ThreadCpuTime.Spin(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(60));
        }
        ulong samples = obj.Count(Slot.PerfEvent);
        // At 1000 Hz the kernel samples about 300 times; half of that leaves room for timer slack, not for luck.
        Assert.True(samples >= 150, $"{samples} samples in 300 ms of CPU at 1000 Hz");
        Assert.Throws<ArgumentException>(() => obj.Program("on_perf_event").AttachPerfEvent(PerfEventConfig.CpuClock(10), cpu: -1, pid: -1));
    }

    [KernelFact(BpfProgramType.Tracing)]
    public void TaskIteratorListsThisProcessThreads()
    {
        using var obj = AttachObjects.Load("attach_trace");
        Assert.True(obj.Program("on_task").CanAutoAttach);
        using var link = (IterLink)obj.Program("on_task").Attach();
        using var stream = link.OpenIterator();
        int[] tids = new StreamReader(stream).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
        Assert.Contains(Environment.ProcessId, tids); // the main thread's tid is the pid
        var threads = Directory.GetDirectories("/proc/self/task").Select(d => int.Parse(Path.GetFileName(d))).ToHashSet();
        Assert.True(tids.Count(threads.Contains) >= tids.Length / 2, "most listed threads are this process's");
        Assert.Equal(tids.Length, tids.Distinct().Count());

        using var explicitLink = obj.Program("on_task").AttachIterator();
        Assert.Equal(BpfLinkType.Iter, explicitLink.Info.Type);
    }
}
