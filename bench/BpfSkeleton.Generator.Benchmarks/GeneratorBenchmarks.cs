using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace BpfSkeleton.Generator.Benchmarks
{
    /// <summary>
    /// Generator time per object, from scratch (a new driver per run, so nothing is cached):
    /// a struct_ops object, a tracing object, a CO-RE object, and the CO-RE-heavy object of
    /// bench/gen-core-load.py when BPFSKELETON_CORE_LOAD_OBJECT names it. Target: at most 100 ms each.
    /// </summary>
    [MemoryDiagnoser]
    public class GeneratorBenchmarks
    {
        private CSharpCompilation _compilation = null!;
        private EncodedObject _object = null!;

        [ParamsSource(nameof(Objects))]
        public string Object { get; set; } = "";

        public static IEnumerable<string> Objects() => TestObjects.Benchmarked();

        [GlobalSetup]
        public void Setup()
        {
            _object = EncodedObject.FromFile(TestObjects.Path(Object));
            _compilation = EmptyCompilation();
        }

        [Benchmark]
        public int Generate() => Run(_compilation, _object).GeneratedTrees.Length;

        /// <summary>One generator run over one object.</summary>
        public static GeneratorDriverRunResult Run(CSharpCompilation compilation, AdditionalText obj)
        {
            var driver = CSharpGeneratorDriver.Create(new[] { new SkeletonGenerator().AsSourceGenerator() },
                new AdditionalText[] { obj }, optionsProvider: new EmptyOptions());
            return driver.RunGenerators(compilation).GetRunResult();
        }

        public static CSharpCompilation EmptyCompilation()
            => CSharpCompilation.Create("Bench", new[] { CSharpSyntaxTree.ParseText("class C { }") },
                new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) });
    }

    internal static class TestObjects
    {
        /// <summary>A test object the build compiles next to the benchmarks (bpf/NAME), or a path as given.</summary>
        public static string Path(string name)
            => System.IO.Path.IsPathRooted(name) ? name : System.IO.Path.Combine(AppContext.BaseDirectory, "bpf", name);

        /// <summary>The objects the benchmarks and --sizes cover.</summary>
        public static IEnumerable<string> Benchmarked()
        {
            yield return "tcp_cc.bpf.o";
            yield return "globals.bpf.o";
            yield return "core.bpf.o";
            var coreLoad = Environment.GetEnvironmentVariable("BPFSKELETON_CORE_LOAD_OBJECT");
            if (!string.IsNullOrEmpty(coreLoad))
                yield return coreLoad;
        }
    }

    internal sealed class EncodedObject : AdditionalText
    {
        private readonly SourceText _text;

        private EncodedObject(string path, string text)
        {
            Path = path;
            _text = SourceText.From(text);
        }

        public static EncodedObject FromFile(string path)
            => new EncodedObject(path + ".bpfobj.txt", Convert.ToBase64String(File.ReadAllBytes(path)));

        public override string Path { get; }

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    internal sealed class EmptyOptions : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions => Empty.Instance;
        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Empty.Instance;
        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Empty.Instance;

        private sealed class Empty : AnalyzerConfigOptions
        {
            public static readonly Empty Instance = new Empty();

            public override bool TryGetValue(string key, out string value)
            {
                value = "";
                return false;
            }
        }
    }
}
