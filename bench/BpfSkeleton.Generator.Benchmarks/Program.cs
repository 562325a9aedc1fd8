using System;
using System.IO;
using BenchmarkDotNet.Running;
using BpfSkeleton.Elf;
using BpfSkeleton.Generator.Benchmarks;
using BpfSkeleton.Specs;

// `--sizes` prints, per object, "path object_bytes embedded_bytes generated_source_bytes": the
// embedded copy is the stripped object (target: at most 0.1x the object); the generated source is
// every file the generator emits for it (UTF-8). Anything else runs the BenchmarkDotNet benchmarks.
if (args.Length > 0 && args[0] == "--sizes")
{
    var compilation = GeneratorBenchmarks.EmptyCompilation();
    foreach (var name in args.Length > 1 ? args[1..] : TestObjects.Benchmarked())
    {
        var path = TestObjects.Path(name);
        var bytes = File.ReadAllBytes(path);
        var stripped = ElfStripper.Strip(BpfObjectSpec.Parse(bytes, name).Elf);
        long source = 0;
        foreach (var tree in GeneratorBenchmarks.Run(compilation, EncodedObject.FromFile(path)).GeneratedTrees)
            source += System.Text.Encoding.UTF8.GetByteCount(tree.GetText().ToString());
        Console.WriteLine($"{path} {bytes.Length} {stripped.Length} {source}");
    }
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(GeneratorBenchmarks).Assembly).Run(args);
