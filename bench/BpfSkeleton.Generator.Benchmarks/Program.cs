using System;
using System.IO;
using BenchmarkDotNet.Running;
using BpfSkeleton.Elf;
using BpfSkeleton.Generator.Benchmarks;
using BpfSkeleton.Specs;

// `--sizes` prints, per object, "path object_bytes embedded_bytes generated_source_bytes compile_ms": the
// embedded copy is the stripped object (target: at most 0.1x the object); the generated source is
// every file the generator emits for it (UTF-8); compile_ms is the median of 5 parses and bindings of that
// source (GetDiagnostics, without the runtime reference: relative figures). Anything else runs the
// BenchmarkDotNet benchmarks.
if (args.Length > 0 && args[0] == "--sizes")
{
    var compilation = GeneratorBenchmarks.EmptyCompilation();
    foreach (var name in args.Length > 1 ? args[1..] : TestObjects.Benchmarked())
    {
        var path = TestObjects.Path(name);
        var bytes = File.ReadAllBytes(path);
        var stripped = ElfStripper.Strip(BpfObjectSpec.Parse(bytes, name).Elf);
        long source = 0;
        var texts = new System.Collections.Generic.List<string>();
        foreach (var tree in GeneratorBenchmarks.Run(compilation, EncodedObject.FromFile(path)).GeneratedTrees)
        {
            texts.Add(tree.GetText().ToString());
            source += System.Text.Encoding.UTF8.GetByteCount(texts[^1]);
        }
        var times = new double[5];
        for (var i = 0; i < times.Length; i++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var trees = texts.ConvertAll(text => Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(text));
            compilation.AddSyntaxTrees(trees).GetDiagnostics();
            times[i] = clock.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        Console.WriteLine($"{path} {bytes.Length} {stripped.Length} {source} {times[times.Length / 2]:F0}");
    }
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(GeneratorBenchmarks).Assembly).Run(args);
