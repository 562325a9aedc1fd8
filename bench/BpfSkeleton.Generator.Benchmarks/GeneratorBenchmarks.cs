using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
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
    /// a struct_ops object, a tracing object and a larger object. Target: at most 100 ms each.
    /// </summary>
    [MemoryDiagnoser]
    public class GeneratorBenchmarks
    {
        private CSharpCompilation _compilation = null!;
        private EncodedObject _object = null!;

        [Params("tcp_cc.bpf.o", "globals.bpf.o", "core.bpf.o")]
        public string Object { get; set; } = "";

        [GlobalSetup]
        public void Setup()
        {
            _object = EncodedObject.FromFile(TestObjects.Path(Object));
            _compilation = CSharpCompilation.Create("Bench", new[] { CSharpSyntaxTree.ParseText("class C { }") },
                new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) });
        }

        [Benchmark]
        public int Generate()
        {
            var driver = CSharpGeneratorDriver.Create(new[] { new SkeletonGenerator().AsSourceGenerator() },
                new AdditionalText[] { _object }, optionsProvider: new EmptyOptions());
            var result = driver.RunGenerators(_compilation).GetRunResult();
            return result.GeneratedTrees.Length;
        }
    }

    internal static class TestObjects
    {
        /// <summary>The test objects the test build compiles into tests/Generator.Tests/bpf.</summary>
        public static string Path(string name, [CallerFilePath] string source = "")
            => System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(source)!, "../../tests/Generator.Tests/bpf", name));
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
