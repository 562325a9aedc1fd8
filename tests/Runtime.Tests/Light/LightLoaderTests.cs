using System;
using System.Linq;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Light;
using BpfSkeleton.Runtime.Tests.Attach;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Light;

/// <summary>
/// The light skeleton's loader, recorded by the one load pipeline and run in the kernel: it must leave the
/// kernel with what a regular load leaves, and fail as precisely.
/// </summary>
[Collection("Kernel")]
public class LightLoaderTests
{
    [KernelTheory(BpfProgramType.Syscall, BpfMapType.Ringbuf, BpfMapType.PerCpuArray, BpfMapType.ArrayOfMaps, BpfMapType.HashOfMaps, BpfMapType.ProgArray,
        BpfProgramType.RawTracepoint, BpfProgramType.Tracing, BpfProgramType.Tracepoint, nameof(FeatureProbes.ProbeReadKernel))]
    [InlineData("globals")]
    [InlineData("slots")]
    [InlineData("core")]           // CO-RE relocations, done by the kernel the loader runs on
    [InlineData("attach_trace")]   // tp_btf and iter targets, found by the loader in the kernel's BTF
    [InlineData("externs")]        // ksyms, kfuncs (weak and missing ones too) and kconfig, resolved where the loader runs
    [InlineData("subprogs")]
    [InlineData("map_types")]
    [InlineData("ringbuf")]
    [InlineData("perfbuf")]
    [InlineData("attach_probe")]
    [InlineData("attach_net")]
    [InlineData("usdt")]
    [InlineData("optional")]
    public void LoadsTheSameInstructionsAsTheRegularLoad(string name)
    {
        using var regular = OpenedLike(name);
        regular.Load();
        using var light = OpenedLike(name);
        light.Load(OpenedLike(name).RecordLoader());

        int compared = 0;
        foreach (var program in regular.Programs.Where(p => p.IsLoaded))
        {
            var expected = XlatedInstructions.WithoutMapIds(program.LoadedHandle.GetTranslatedInstructions());
            var actual = XlatedInstructions.WithoutMapIds(light.Program(program.Name).LoadedHandle.GetTranslatedInstructions());
            Assert.True(expected.SequenceEqual(actual),
                $"{program.Name}: first difference at instruction {Enumerable.Range(0, Math.Min(expected.Length, actual.Length)).FirstOrDefault(i => expected[i] != actual[i], -1)} (lengths {expected.Length}/{actual.Length})");
            compared++;
        }
        Assert.NotEqual(0, compared);
        Assert.Equal(regular.Maps.Count(m => m.IsCreated), light.Maps.Count(m => m.IsCreated));
        foreach (var data in regular.GlobalData)
            Assert.Equal(Contents(data.Map.Map), Contents(light.GlobalDataSection(data.SectionName).Map.Map));
    }

    [KernelFact(BpfProgramType.Syscall, BpfMapType.Ringbuf, BpfMapType.PerCpuArray)]
    public void GlobalDataSetBeforeLoadReachesTheKernelAndProgramsRun()
    {
        var loader = OpenedLike("globals").RecordLoader();
        using var obj = BpfObject.Open(TestObjects.PathOf("globals"));
        KernelRefusals.LeaveOut(obj);
        obj.GlobalDataSection(".rodata").Write(0, 5u); // rodata_multiplier, recorded as 3
        obj.GlobalDataSection(".bss").Write(0, 41ul);  // bss_counter, recorded as an all-zero .bss
        obj.Load(loader);

        Assert.Equal(5u, obj.Program("run_globals").TestRun().ReturnValue); // scale(1) with the multiplier set
        var bss = obj.GlobalDataSection(".bss");
        Assert.Equal(42ul, bss.Read<ulong>(0));
        Assert.Equal(42 * 5, bss.Read<int>(8));
        var rodata = obj.GlobalDataSection(".rodata").Map.Map;
        Assert.True(rodata.IsFrozen);
        Assert.ThrowsAny<BpfException>(() => rodata.Update(new byte[4], new byte[rodata.ValueSize])); // frozen in the kernel too
    }

    [KernelFact(BpfProgramType.Tracepoint, BpfProgramType.RawTracepoint, BpfProgramType.Tracing)]
    public void TracingProgramsLoadedByTheLoaderAttachAndCount()
    {
        BpfFs.EnsureTracefs();
        var loader = OpenedLike("attach_trace").RecordLoader();
        using var obj = BpfObject.Open(TestObjects.PathOf("attach_trace"));
        KernelRefusals.LeaveOut(obj);
        var rodata = obj.GlobalDataSection(".rodata");
        rodata.Write(rodata.Spec.FindVariable("target_tgid")!.Offset, (uint)Environment.ProcessId);
        obj.Load(loader);
        obj.Attach();
        Attach.AttachObjects.CallGetppid(100);
        obj.Detach();
        Assert.InRange(obj.Count(Attach.Slot.Tracepoint), 100ul, 200ul);
        Assert.True(obj.Count(Attach.Slot.RawTp) >= 100);
        Assert.True(obj.Count(Attach.Slot.TpBtf) >= 100); // attach_btf_id found by the loader in the running kernel
    }

    [KernelFact(BpfProgramType.Syscall, BpfMapType.Ringbuf, BpfMapType.PerCpuArray)]
    public void AnImageSurvivesItsBytes()
    {
        var recorded = OpenedLike("globals").RecordLoader();
        var image = BpfLoaderImage.FromBytes(recorded.ToBytes());
        Assert.Equal(recorded.InstructionCount, image.InstructionCount);
        Assert.Equal(recorded.DataSize, image.DataSize);
        Assert.Equal(recorded.ToBytes(), image.ToBytes());
        using var obj = BpfObject.Open(TestObjects.PathOf("globals"));
        KernelRefusals.LeaveOut(obj);
        obj.Load(image);
        Assert.Equal(3u, obj.Program("run_globals").TestRun().ReturnValue);
    }

    [KernelFact(BpfProgramType.Syscall, BpfMapType.Ringbuf, BpfMapType.PerCpuArray)]
    public void AVerifierRejectionNamesTheStepAndCarriesTheLogAndLeavesNothing()
    {
        var leaks = new LeakCheck();
        using (var recordFrom = BpfObject.Open(TestObjects.PathOf("verifier_reject")))
        {
            var loader = recordFrom.RecordLoader();
            using var obj = BpfObject.Open(TestObjects.PathOf("verifier_reject"));
            var e = Assert.Throws<BpfVerifierException>(() => obj.Load(loader));
            Assert.Contains("light skeleton loader, step", e.Message);
            Assert.Contains("load program", e.Message);
            Assert.NotEmpty(e.VerifierLog);
            Assert.Equal(BpfObjectState.Failed, obj.State);
        }
        leaks.AssertNothingLeaked();
    }

    [KernelFact(BpfProgramType.Syscall)]
    public void AMissingKfuncNamesTheSymbolAndLeavesNothing()
    {
        var leaks = new LeakCheck();
        using (var recordFrom = BpfObject.Open(TestObjects.PathOf("missing_kfunc")))
        {
            var loader = recordFrom.RecordLoader(); // nothing is looked up at record time
            using var obj = BpfObject.Open(TestObjects.PathOf("missing_kfunc"));
            var e = Assert.Throws<BpfException>(() => obj.Load(loader));
            Assert.Contains("find kfunc 'bpfskeleton_no_such_kfunc' in the kernel's BTF for program 'call_missing'", e.Message);
            Assert.Equal(Interop.Errno.ENOENT, e.Errno);
        }
        leaks.AssertNothingLeaked();
    }

    [Fact]
    public void AnObjectTheLightPathCannotServeIsRefusedNamingTheFeature()
    {
        using var obj = BpfObject.Open(TestObjects.PathOf("maps")); // pinned_hash: __uint(pinning, LIBBPF_PIN_BY_NAME)
        var e = Assert.Throws<BpfLoadException>(() => obj.RecordLoader());
        Assert.Contains("map 'pinned_hash': pinned at", e.Message);
        Assert.Equal(BpfObjectState.Opened, obj.State);
    }

    [KernelFact(BpfProgramType.Syscall, BpfMapType.Ringbuf, BpfMapType.PerCpuArray)]
    public void AChoiceChangedSinceRecordingIsNamed()
    {
        var loader = OpenedLike("globals").RecordLoader();
        using var obj = OpenedLike("globals");
        obj.Program("on_getpid").AutoLoad = false;
        var e = Assert.Throws<BpfLoadException>(() => obj.Load(loader));
        Assert.Contains("program 'on_getpid' has autoload off", e.Message);
    }

    [Fact]
    public void BytesThatAreNoImageAreAFormatError()
    {
        Assert.Throws<BpfFormatException>(() => BpfLoaderImage.FromBytes(new byte[] { 1, 2, 3 }));
        var bytes = OpenedLike("globals").RecordLoader().ToBytes();
        Assert.Throws<BpfFormatException>(() => BpfLoaderImage.FromBytes(bytes.AsSpan(0, bytes.Length / 2)));
    }

    private static BpfObject OpenedLike(string name)
    {
        var obj = BpfObject.Open(TestObjects.PathOf(name));
        KernelRefusals.LeaveOut(obj);
        // Typed per-CPU ksyms need data symbols in kallsyms (ExternsLoadTests covers both answers).
        if (name == "externs" && KernelConfig.Get("CONFIG_KALLSYMS_ALL") != "y")
            obj.Program("read_percpu_ksyms").AutoLoad = false;
        return obj;
    }

    internal static byte[] Contents(BpfMap map)
    {
        var value = new byte[map.ValueSize];
        Assert.True(map.TryLookup(new byte[4], value));
        return value;
    }
}
