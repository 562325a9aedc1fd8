using System;
using System.Linq;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Core;

/// <summary>
/// Loads the same object with Debian's bpftool (libbpf 1.1: `bpftool prog loadall`) and with
/// BpfSkeleton, and compares the kernel's translated instructions program by program. Only
/// per-load values are masked: the map id the kernel shows in a map LD_IMM64.
/// </summary>
[Collection("Kernel")]
public class LibbpfXlatedComparisonTests
{
    [KernelTheory(BpfMapType.Ringbuf, BpfMapType.PerCpuArray, BpfMapType.ProgArray, BpfMapType.ArrayOfMaps, BpfMapType.HashOfMaps, BpfProgramType.Syscall, BpfProgramType.Tracepoint, BpfProgramType.RawTracepoint, BpfProgramType.Xdp, nameof(FeatureProbes.ProbeReadKernel))]
    [InlineData("core")]
    [InlineData("slots")]
    [InlineData("globals")]
    public void RelocatedCodeMatchesLibbpf(string name)
    {
        using var libbpf = new LibbpfLoad(TestObjects.PathOf(name));
        using var obj = BpfObject.Open(TestObjects.PathOf(name));
        obj.Load();
        var compared = 0;
        foreach (var program in obj.Programs.Where(p => p.IsLoaded))
        {
            Assert.True(libbpf.Loaded(program.Name), $"bpftool did not load {program.Name}");
            using var theirs = libbpf.Open(program.Name);
            var expected = XlatedInstructions.WithoutMapIds(theirs.GetTranslatedInstructions());
            var actual = XlatedInstructions.WithoutMapIds(program.LoadedHandle.GetTranslatedInstructions());
            Assert.True(expected.SequenceEqual(actual),
                $"{program.Name}: first difference at instruction {Enumerable.Range(0, Math.Min(expected.Length, actual.Length)).FirstOrDefault(i => expected[i] != actual[i], -1)} (lengths {expected.Length}/{actual.Length})");
            compared++;
        }
        Assert.NotEqual(0, compared);
    }
}
