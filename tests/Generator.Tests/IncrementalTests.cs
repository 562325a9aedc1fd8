extern alias gen;
using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using gen::BpfSkeleton.Generator;
using gen::BpfSkeleton.Generator.Model;
using BpfSkeleton.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace BpfSkeleton.Generator.Tests
{
    public sealed class IncrementalTests
    {
        private static readonly string[] TrackedSteps =
        {
            SkeletonGenerator.Steps.Input, SkeletonGenerator.Steps.Parse, SkeletonGenerator.Steps.Model,
            SkeletonGenerator.Steps.Names, SkeletonGenerator.Steps.Diagnostics, SkeletonGenerator.Steps.RuntimeFeatures,
        };

        [Fact]
        public void UnrelatedEditLeavesEveryStepCached()
        {
            var encoded = GeneratorHarness.EncodeFile(GeneratorHarness.GoldenObject("golden_ops.bpf.o"));
            var compilation = GeneratorHarness.Compilation("namespace App { public static class Marker { } }");
            var driver = GeneratorHarness.Driver(encoded).RunGenerators(compilation);

            var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace App { public static class Other { } }",
                new CSharpParseOptions(LanguageVersion.Latest)));
            var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

            foreach (var step in TrackedSteps)
            {
                Assert.True(result.TrackedSteps.ContainsKey(step), $"step {step} was not tracked");
                foreach (var run in result.TrackedSteps[step])
                foreach (var output in run.Outputs)
                    Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                        $"step {step} was {output.Reason} after an unrelated edit");
            }
        }

        [Fact]
        public void ChangedObjectRegenerates()
        {
            var encoded = GeneratorHarness.EncodeFile(GeneratorHarness.GoldenObject("golden_ops.bpf.o"));
            var other = GeneratorHarness.Encode(encoded.Metadata["build_metadata.AdditionalFiles.BpfSkeletonSourcePath"],
                System.IO.File.ReadAllBytes(GeneratorHarness.GoldenObject("golden_types.bpf.o")));
            var compilation = GeneratorHarness.Compilation("namespace App { public static class Marker { } }");
            var driver = GeneratorHarness.Driver(encoded).RunGenerators(compilation);

            driver = driver.ReplaceAdditionalText(encoded, other);
            var result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

            var parse = result.TrackedSteps[SkeletonGenerator.Steps.Parse].Single().Outputs.Single();
            Assert.Equal(IncrementalStepRunReason.Modified, parse.Reason);
            Assert.Contains("OnGetpid", result.GeneratedSources.Single().SourceText.ToString());
        }

        [Fact]
        public void ModelHoldsNoRoslynObjects()
        {
            var encoded = GeneratorHarness.EncodeFile(GeneratorHarness.GoldenObject("golden_types.bpf.o"));
            var result = GeneratorHarness.Run(encoded);
            var model = result.TrackedSteps[SkeletonGenerator.Steps.Model].Single().Outputs.Single().Value;

            Assert.IsType<SkeletonModel>(model);
            AssertPlainValues(model, new HashSet<object>(ReferenceEqualityComparer.Instance), "model");
        }

        /// <summary>Walks fields recursively: no ISymbol, Compilation, SyntaxNode or raw array may be reachable.</summary>
        private static void AssertPlainValues(object? value, HashSet<object> seen, string path)
        {
            if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum) return;
            var type = value.GetType();
            Assert.False(value is ISymbol or Compilation or SyntaxNode or SyntaxTree or Location, $"{path} holds a Roslyn {type.Name}");
            if (!type.IsValueType && !seen.Add(value)) return;
            if (type.IsArray)
            {
                Assert.True(path.EndsWith("._items") || path.EndsWith("._bytes"), $"{path} is a raw array outside an equatable wrapper");
                if (type.GetElementType() == typeof(byte)) return;
                var index = 0;
                foreach (var item in (IEnumerable)value) AssertPlainValues(item, seen, $"{path}[{index++}]");
                return;
            }
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
                AssertPlainValues(field.GetValue(value), seen, path + "." + field.Name);
        }
    }
}
