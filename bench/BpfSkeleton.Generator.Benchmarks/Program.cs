using System;
using System.IO;
using BenchmarkDotNet.Running;
using BpfSkeleton.Elf;
using BpfSkeleton.Generator.Benchmarks;
using BpfSkeleton.Specs;

// `--sizes` prints embedded (stripped) size against the object size (target: at most 0.1x);
// anything else runs the BenchmarkDotNet generator benchmarks.
if (args.Length > 0 && args[0] == "--sizes")
{
    foreach (var name in new[] { "tcp_cc.bpf.o", "globals.bpf.o", "core.bpf.o", "maps.bpf.o", "dummy_ops.bpf.o" })
    {
        var bytes = File.ReadAllBytes(TestObjects.Path(name));
        var stripped = ElfStripper.Strip(BpfObjectSpec.Parse(bytes, name).Elf);
        Console.WriteLine($"{name,-18} {bytes.Length,8} -> {stripped.Length,7} bytes ({(double)stripped.Length / bytes.Length:0.000}x)");
    }
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(GeneratorBenchmarks).Assembly).Run(args);
