using System;
using System.IO;
using BenchmarkDotNet.Attributes;
using BpfSkeleton.Btf;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Loading;

namespace BpfSkeleton.Benchmarks;

/// <summary>
/// User-space CO-RE cost of a CO-RE-heavy object (bench/gen-core-heavy.py, path in
/// BPFSKELETON_CORE_OBJECT): every program linked with its subprograms and relocated against
/// vmlinux BTF, without the kernel. Compare with bench/reference/core_relocate.c (libbpf 1.1,
/// same phase) through bench/run-core.sh.
/// </summary>
[MemoryDiagnoser]
public class CoreBenchmarks
{
    private byte[] _object = Array.Empty<byte>();
    private byte[] _vmlinux = Array.Empty<byte>();
    private BpfObject? _opened;

    [GlobalSetup]
    public void Setup()
    {
        var path = Environment.GetEnvironmentVariable("BPFSKELETON_CORE_OBJECT")
            ?? throw new InvalidOperationException("set BPFSKELETON_CORE_OBJECT to the generated core_heavy.bpf.o (bench/run-core.sh does)");
        _object = File.ReadAllBytes(path);
        _vmlinux = File.ReadAllBytes(KernelTypes.VmlinuxPath);
        _opened = BpfObject.Open(_object, "core_heavy.bpf.o");
        _ = KernelTypes.Vmlinux;
        var linked = OfflineRelocation.LinkAndRelocate(_opened.Spec, KernelTypes.Vmlinux); // builds the candidate index once
        Console.WriteLine($"// {linked.Count} programs, {CountRelocations(linked)} CO-RE relocations after linking");
    }

    [GlobalCleanup]
    public void Cleanup() => _opened?.Dispose();

    /// <summary>The phase libbpf's window covers: link + CO-RE for all programs, kernel BTF parsed and indexed (the steady state of a process).</summary>
    [Benchmark(Baseline = true)]
    public int Relocate() => OfflineRelocation.LinkAndRelocate(_opened!.Spec, KernelTypes.Vmlinux).Count;

    /// <summary>Open (ELF, BTF, BTF.ext, specs) plus link + CO-RE.</summary>
    [Benchmark]
    public int OpenAndRelocate()
    {
        using var obj = BpfObject.Open(_object, "core_heavy.bpf.o");
        return OfflineRelocation.LinkAndRelocate(obj.Spec, KernelTypes.Vmlinux).Count;
    }

    /// <summary>Link + CO-RE with a fresh vmlinux BTF each time: parse and essential-name index build included (a process's first load).</summary>
    [Benchmark]
    public int RelocateColdKernelBtf()
    {
        var vmlinux = BtfSpec.Parse(_vmlinux, KernelTypes.VmlinuxPath);
        return OfflineRelocation.LinkAndRelocate(_opened!.Spec, vmlinux).Count;
    }

    /// <summary>vmlinux BTF parse alone (libbpf's btf__load_vmlinux_btf counterpart).</summary>
    [Benchmark]
    public int ParseKernelBtf() => BtfSpec.Parse(_vmlinux, KernelTypes.VmlinuxPath).TypeCount;

    private static int CountRelocations(System.Collections.Generic.List<LinkedProgram> linked)
    {
        var count = 0;
        foreach (var program in linked) count += program.CoreRelocations.Length;
        return count;
    }
}
