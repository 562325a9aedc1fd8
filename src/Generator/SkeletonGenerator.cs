using System;
using System.Collections.Immutable;
using System.IO;
using System.Threading;
using BpfSkeleton.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace BpfSkeleton.Generator
{
    /// <summary>
    /// Wires the pipeline: encoded objects (AdditionalFiles ending in <c>.bpfobj.txt</c>, written by
    /// the BpfSkeleton MSBuild targets) → values → models → source. Diagnostics take a separate output.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class SkeletonGenerator : IIncrementalGenerator
    {
        internal const string EncodedSuffix = ".bpfobj.txt";

        /// <summary>A light skeleton's loader, recorded by the build (Light="true" on the object's item).</summary>
        internal const string LoaderSuffix = ".bpfloader.txt";

        /// <summary>Tracking names of the pipeline steps, for incrementality tests.</summary>
        internal static class Steps
        {
            public const string Input = nameof(Input);
            public const string Parse = nameof(Parse);
            public const string Model = nameof(Model);
            public const string Names = nameof(Names);
            public const string Diagnostics = nameof(Diagnostics);
            public const string RuntimeFeatures = nameof(RuntimeFeatures);
            public const string Loaders = nameof(Loaders);
        }

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var inputs = context.AdditionalTextsProvider
                .Where(static text => text.Path.EndsWith(EncodedSuffix, StringComparison.OrdinalIgnoreCase))
                .Combine(context.AnalyzerConfigOptionsProvider)
                .Select(static (pair, token) => ReadInput(pair.Left, pair.Right, token))
                .WithTrackingName(Steps.Input);

            var parsed = inputs
                .Select(static (input, token) => SkeletonParser.Parse(input, token))
                .WithTrackingName(Steps.Parse);

            var loaders = context.AdditionalTextsProvider
                .Where(static text => text.Path.EndsWith(LoaderSuffix, StringComparison.OrdinalIgnoreCase))
                .Combine(context.AnalyzerConfigOptionsProvider)
                .Select(static (pair, token) => ReadLoader(pair.Left, pair.Right, token))
                .Collect()
                .WithTrackingName(Steps.Loaders);

            var models = parsed
                .Where(static result => result.Model is not null)
                .Combine(loaders)
                .Select(static (pair, _) => WithLoader(pair.Left.Model!, pair.Right).Model)
                .WithTrackingName(Steps.Model);

            var loaderDiagnostics = parsed
                .Where(static result => result.Model is not null)
                .Combine(loaders)
                .Select(static (pair, _) => WithLoader(pair.Left.Model!, pair.Right).Problem);
            context.RegisterSourceOutput(loaderDiagnostics, static (spc, problem) =>
            {
                if (problem is not null) spc.ReportDiagnostic(ToDiagnostic(problem));
            });

            var names = models
                .Select(static (model, _) => new SkeletonName(model.FullName, model.SourcePath))
                .Collect()
                .WithTrackingName(Steps.Names);

            // The typed map wrapper is a runtime feature: use it only when the referenced runtime has it.
            var typedMaps = context.CompilationProvider
                .Select(static (compilation, _) => compilation.GetTypeByMetadataName("BpfSkeleton.BpfObjectMap`2") is not null)
                .WithTrackingName(Steps.RuntimeFeatures);

            context.RegisterSourceOutput(models.Combine(names).Combine(typedMaps), static (spc, item) =>
            {
                var ((model, all), typed) = item;
                if (FirstWithName(all, model.FullName) != model.SourcePath) return;
                spc.AddSource(model.HintName, SourceText.From(SkeletonEmitter.Emit(model, typed), System.Text.Encoding.UTF8));
            });

            var diagnostics = parsed
                .Select(static (result, _) => result.Diagnostics)
                .WithTrackingName(Steps.Diagnostics);
            context.RegisterSourceOutput(diagnostics, static (spc, items) =>
            {
                foreach (var item in items) spc.ReportDiagnostic(ToDiagnostic(item));
            });
            context.RegisterSourceOutput(names, static (spc, all) =>
            {
                foreach (var name in all)
                {
                    var first = FirstWithName(all, name.FullName);
                    if (first != name.SourcePath)
                        spc.ReportDiagnostic(ToDiagnostic(new DiagnosticInfo(DiagnosticDescriptors.DuplicateSkeleton.Id, name.SourcePath,
                            new EquatableArray<string>(new[] { name.SourcePath, name.FullName, first }))));
                }
            });
        }

        /// <summary>The owner of a skeleton name: the ordinally smallest source path, so the choice does not depend on item order.</summary>
        private static string FirstWithName(ImmutableArray<SkeletonName> all, string fullName)
        {
            string? first = null;
            foreach (var name in all)
                if (name.FullName == fullName && (first is null || string.CompareOrdinal(name.SourcePath, first) < 0))
                    first = name.SourcePath;
            return first!;
        }

        private static SkeletonInput ReadInput(AdditionalText text, AnalyzerConfigOptionsProvider options, CancellationToken token)
        {
            var file = options.GetOptions(text);
            var global = options.GlobalOptions;
            var source = Metadata(file, "BpfSkeletonSourcePath")
                         ?? text.Path.Substring(0, text.Path.Length - EncodedSuffix.Length);
            var ns = Metadata(file, "BpfSkeletonNamespace")
                     ?? Property(global, "BpfSkeletonNamespace")
                     ?? Property(global, "RootNamespace")
                     ?? "";
            var visibility = Metadata(file, "BpfSkeletonVisibility") ?? Property(global, "BpfSkeletonVisibility") ?? "public";
            var content = text.GetText(token)?.ToString() ?? "";
            return new SkeletonInput(text.Path, source, content, Metadata(file, "BpfSkeletonClassName"), ns, visibility.Trim().ToLowerInvariant());
        }

        private static LoaderInput ReadLoader(AdditionalText text, AnalyzerConfigOptionsProvider options, CancellationToken token)
        {
            var source = Metadata(options.GetOptions(text), "BpfSkeletonSourcePath")
                         ?? text.Path.Substring(0, text.Path.Length - LoaderSuffix.Length);
            return new LoaderInput(text.Path, source, text.GetText(token)?.ToString() ?? "");
        }

        /// <summary>The model with its light skeleton loader, when the build recorded one for its object; or a diagnostic.</summary>
        private static (SkeletonModel Model, DiagnosticInfo? Problem) WithLoader(SkeletonModel model, ImmutableArray<LoaderInput> loaders)
        {
            foreach (var loader in loaders)
            {
                if (!string.Equals(loader.SourcePath, model.SourcePath, StringComparison.Ordinal)) continue;
                try
                {
                    return (model with { LoaderBytes = new EquatableBytes(Convert.FromBase64String(loader.Content.Trim())) }, null);
                }
                catch (FormatException e)
                {
                    return (model, new DiagnosticInfo(DiagnosticDescriptors.UnreadableLoader.Id, model.SourcePath,
                        new EquatableArray<string>(new[] { model.SourcePath, loader.TextPath, e.Message })));
                }
            }
            return (model, null);
        }

        private static string? Metadata(AnalyzerConfigOptions options, string name)
            => options.TryGetValue("build_metadata.AdditionalFiles." + name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        private static string? Property(AnalyzerConfigOptions options, string name)
            => options.TryGetValue("build_property." + name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        private static Diagnostic ToDiagnostic(DiagnosticInfo info)
        {
            var location = Location.Create(info.FilePath, default, default);
            var arguments = new object[info.Arguments.Count];
            for (var i = 0; i < arguments.Length; i++) arguments[i] = info.Arguments[i];
            return Diagnostic.Create(DiagnosticDescriptors.Get(info.Id), location, arguments);
        }
    }
}
