extern alias gen;
using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using gen::BpfSkeleton.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace BpfSkeleton.Generator.Tests.Infrastructure
{
    /// <summary>Runs the generator in memory on objects handed over as the MSBuild targets would (base64 text + metadata).</summary>
    internal static class GeneratorHarness
    {
        public static string TestObject(string name) => Path.Combine(AppContext.BaseDirectory, "bpf", name);

        public static string GoldenObject(string name) => Path.Combine(AppContext.BaseDirectory, "Golden", name);

        /// <summary>An additional file as the targets produce it for <paramref name="sourcePath"/>.</summary>
        public static EncodedObject Encode(string sourcePath, byte[] bytes, string? className = null, string? ns = null)
            => new EncodedObject(sourcePath + ".bpfobj.txt", Convert.ToBase64String(bytes), new Dictionary<string, string>
            {
                ["build_metadata.AdditionalFiles.BpfSkeletonSourcePath"] = sourcePath,
                ["build_metadata.AdditionalFiles.BpfSkeletonClassName"] = className ?? "",
                ["build_metadata.AdditionalFiles.BpfSkeletonNamespace"] = ns ?? "",
            });

        public static EncodedObject EncodeFile(string path, string? className = null, string? ns = null)
            => Encode("/objects/" + Path.GetFileName(path), File.ReadAllBytes(path), className, ns);

        /// <summary>A light skeleton's loader as the targets produce it (bpfsk gen-loader --base64) for the object at <paramref name="path"/>.</summary>
        public static EncodedObject EncodeLoader(string path, string base64)
            => new EncodedObject("/objects/" + Path.GetFileName(path) + ".bpfloader.txt", base64, new Dictionary<string, string>
            {
                ["build_metadata.AdditionalFiles.BpfSkeletonSourcePath"] = "/objects/" + Path.GetFileName(path),
            });

        public static CSharpCompilation Compilation(params string[] sources)
            => CSharpCompilation.Create("SkeletonTest",
                sources.Select(s => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Latest))),
                References(),
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable,
                    generalDiagnosticOption: ReportDiagnostic.Error, allowUnsafe: true));

        public static IEnumerable<MetadataReference> References()
        {
            var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
            // The framework only: the test's own directory also holds the generator, whose shared types would clash.
            foreach (var path in trusted)
                if (!path.StartsWith(AppContext.BaseDirectory, StringComparison.Ordinal))
                    yield return MetadataReference.CreateFromFile(path);
            yield return MetadataReference.CreateFromFile(typeof(BpfObject).Assembly.Location);
        }

        public static GeneratorDriver Driver(params EncodedObject[] objects)
            => CSharpGeneratorDriver.Create(
                new[] { new SkeletonGenerator().AsSourceGenerator() },
                objects.Select(o => (AdditionalText)o),
                new CSharpParseOptions(LanguageVersion.Latest),
                new TestOptionsProvider(objects, new Dictionary<string, string> { ["build_property.RootNamespace"] = "Test.Skeletons" }),
                new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

        public static GeneratorRunResult Run(params EncodedObject[] objects)
        {
            var driver = Driver(objects).RunGenerators(Compilation("namespace App { public static class Marker { } }"));
            return driver.GetRunResult().Results.Single();
        }
    }

    /// <summary>An in-memory additional file with its per-file editorconfig metadata.</summary>
    internal sealed class EncodedObject : AdditionalText
    {
        private readonly string _text;

        public EncodedObject(string path, string text, IReadOnlyDictionary<string, string> metadata)
        {
            Path = path;
            _text = text;
            Metadata = metadata;
        }

        public override string Path { get; }

        public IReadOnlyDictionary<string, string> Metadata { get; }

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(_text);

        public EncodedObject WithText(string text) => new EncodedObject(Path, text, Metadata);
    }

    internal sealed class TestOptionsProvider : AnalyzerConfigOptionsProvider
    {
        private readonly Dictionary<string, AnalyzerConfigOptions> _files = new Dictionary<string, AnalyzerConfigOptions>();

        public TestOptionsProvider(IEnumerable<EncodedObject> objects, IReadOnlyDictionary<string, string> global)
        {
            GlobalOptions = new Options(global);
            foreach (var o in objects) _files[o.Path] = new Options(o.Metadata);
        }

        public override AnalyzerConfigOptions GlobalOptions { get; }

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile)
            => _files.TryGetValue(textFile.Path, out var options) ? options : Options.Empty;

        private sealed class Options : AnalyzerConfigOptions
        {
            public static readonly Options Empty = new Options(new Dictionary<string, string>());
            private readonly IReadOnlyDictionary<string, string> _values;

            public Options(IReadOnlyDictionary<string, string> values) => _values = values;

            public override bool TryGetValue(string key, out string value)
            {
                var found = _values.TryGetValue(key, out var v);
                value = v ?? "";
                return found;
            }
        }
    }
}
