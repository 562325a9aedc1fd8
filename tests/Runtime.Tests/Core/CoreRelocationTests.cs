using System;
using BpfSkeleton.Btf;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Core;

/// <summary>
/// Loads core.bpf.o against the running kernel's BTF, runs it with BPF_PROG_TEST_RUN and checks
/// what each relocation kind computed against the kernel's BTF read directly.
/// </summary>
[Collection("Kernel")]
public class CoreRelocationTests
{
    // Field order of struct core_results in core.bpf.c, 8 bytes each.
    private enum R
    {
        PidOffset, PidSize, Exists, MissingExists, PidSigned, Bitfield, LocalId, TargetId, TypeExists, TypeSize,
        TypeMatches, EnumExists, EnumValue, MissingEnumExists, Tgid, SkbNextOffset, CommOffset, CommSize, Comm4Offset,
        BitfieldSize, BitfieldLShift, BitfieldRShift, BitfieldSigned, MissingTypeExists, MissingTypeSize,
        MissingFieldGuarded, FlavoredPid,
    }

    private static ulong[] Run()
    {
        using var obj = BpfObject.Open(TestObjects.PathOf("core"));
        obj.Load();
        obj.Program("core_probe").TestRun();
        var bytes = obj.GlobalDataSection(".bss").Variable("results");
        var values = new ulong[bytes.Length / 8];
        for (var i = 0; i < values.Length; i++) values[i] = BitConverter.ToUInt64(bytes.Slice(i * 8, 8));
        return values;
    }

    [KernelFact(BpfProgramType.RawTracepoint, nameof(FeatureProbes.ProbeReadKernel))]
    public void FieldKindsFollowTheKernelLayout()
    {
        var r = Run();
        var kernel = KernelTypes.Vmlinux;
        var task = KernelLayout.StructId(kernel, "task_struct");
        var (pidBits, _) = KernelLayout.Field(kernel, task, "pid");
        var (commBits, _) = KernelLayout.Field(kernel, task, "comm");

        Assert.Equal((ulong)(pidBits / 8), r[(int)R.PidOffset]);
        Assert.Equal(4ul, r[(int)R.PidSize]);
        Assert.Equal(1ul, r[(int)R.PidSigned]);
        Assert.Equal(1ul, r[(int)R.Exists]);
        Assert.Equal(0ul, r[(int)R.MissingExists]);
        Assert.Equal((ulong)(commBits / 8), r[(int)R.CommOffset]);
        Assert.Equal(16ul, r[(int)R.CommSize]);
        Assert.Equal((ulong)(commBits / 8 + 4), r[(int)R.Comm4Offset]);
    }

    [KernelFact(BpfProgramType.RawTracepoint, nameof(FeatureProbes.ProbeReadKernel))]
    public void AnonymousUnionsAndStructsAreSearchedInBothPaths()
    {
        var r = Run();
        var kernel = KernelTypes.Vmlinux;
        var (nextBits, _) = KernelLayout.Field(kernel, KernelLayout.StructId(kernel, "sk_buff"), "next");
        Assert.Equal((ulong)(nextBits / 8), r[(int)R.SkbNextOffset]);
    }

    [KernelFact(BpfProgramType.RawTracepoint, nameof(FeatureProbes.ProbeReadKernel))]
    public void BitfieldRelocationsDescribeTheSmallestCoveringLoad()
    {
        var r = Run();
        var kernel = KernelTypes.Vmlinux;
        var (bitOffset, member) = KernelLayout.Field(kernel, KernelLayout.StructId(kernel, "task_struct"), "in_execve");
        Assert.NotEqual(0, member.BitfieldSize);
        var size = kernel.GetType(kernel.SkipModifiersAndTypedefs(member.TypeId)).Size;
        var byteOffset = bitOffset / 8 / size * size;
        while (bitOffset + member.BitfieldSize - byteOffset * 8 > size * 8)
        {
            size *= 2;
            byteOffset = bitOffset / 8 / size * size;
        }
        Assert.Equal((ulong)size, r[(int)R.BitfieldSize]);
        Assert.Equal((ulong)(64 - (bitOffset + member.BitfieldSize - byteOffset * 8)), r[(int)R.BitfieldLShift]);
        Assert.Equal((ulong)(64 - member.BitfieldSize), r[(int)R.BitfieldRShift]);
        Assert.Equal(0ul, r[(int)R.BitfieldSigned]);
        Assert.True(r[(int)R.Bitfield] <= 1); // a 1-bit flag read through the probed bitfield macro
    }

    [KernelFact(BpfProgramType.RawTracepoint, nameof(FeatureProbes.ProbeReadKernel))]
    public void TypeKindsUseTheKernelTypeOrZero()
    {
        var r = Run();
        var kernel = KernelTypes.Vmlinux;
        var task = KernelLayout.StructId(kernel, "task_struct");
        using var obj = BpfObject.Open(TestObjects.PathOf("core"));
        Assert.True(obj.Spec.Btf!.TryFindByName("task_struct", BtfKind.Struct, out var localTask));

        Assert.Equal((ulong)localTask, r[(int)R.LocalId]);
        Assert.Equal((ulong)task, r[(int)R.TargetId]);
        Assert.Equal(1ul, r[(int)R.TypeExists]);
        Assert.Equal((ulong)kernel.ResolveSize(task), r[(int)R.TypeSize]);
        Assert.Equal(0ul, r[(int)R.MissingTypeExists]);
        Assert.Equal(0ul, r[(int)R.MissingTypeSize]);
    }

    [KernelFact(BpfProgramType.RawTracepoint, nameof(FeatureProbes.ProbeReadKernel))]
    public void EnumeratorsMatchByEssentialName()
    {
        var r = Run();
        Assert.Equal(1ul, r[(int)R.EnumExists]);
        Assert.Equal(27ul, r[(int)R.EnumValue]); // BPF_MAP_TYPE_RINGBUF
        Assert.Equal(0ul, r[(int)R.MissingEnumExists]);
    }

    [KernelFact(BpfProgramType.RawTracepoint, nameof(FeatureProbes.ProbeReadKernel))]
    public void RelocatedProbeReadsSeeTheRunningTask()
    {
        var r = Run();
        Assert.Equal((ulong)Environment.ProcessId, r[(int)R.Tgid]);
        Assert.NotEqual(0ul, r[(int)R.FlavoredPid]);
        Assert.Equal(77ul, r[(int)R.MissingFieldGuarded]); // the poisoned read sat in a dead branch
    }

    [KernelFact(BpfProgramType.RawTracepoint, nameof(FeatureProbes.ProbeReadKernel))]
    public void UnguardedMissingFieldFailsNamingTheRelocation()
    {
        using var obj = BpfObject.Open(TestObjects.PathOf("core_unguarded"));
        var error = Assert.Throws<BpfVerifierException>(() => obj.Load());
        Assert.NotEmpty(error.VerifierLog); // the verifier's rejection, explained, not a different error
        Assert.Contains("core_unguarded", error.Message);
        Assert.Contains("FieldByteOffset", error.Message);
        Assert.Contains("struct task_struct___local::does_not_exist", error.Message);
        Assert.Matches(@"at instruction \d+", error.Message);
    }
}
