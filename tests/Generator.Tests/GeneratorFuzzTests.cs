extern alias gen;
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using BpfSkeleton.Elf;
using BpfSkeleton.Fuzzing;
using BpfSkeleton.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;
using Xunit.Abstractions;
using Parser = gen::BpfSkeleton.Generator.SkeletonParser;
using Emitter = gen::BpfSkeleton.Generator.SkeletonEmitter;
using Input = gen::BpfSkeleton.Generator.Model.SkeletonInput;

namespace BpfSkeleton.Generator.Tests
{
    /// <summary>
    /// Seeded mutation fuzzing of the generator over the test objects: every input yields a skeleton or BPFSK
    /// diagnostics (never an exception, never BPFSK011, the generator's own fault), and the skeletons it emits compile.
    /// </summary>
    public sealed class GeneratorFuzzTests
    {
        private static readonly int Inputs = EnvInt("BPFSK_FUZZ_INPUTS", 6_000);
        private static readonly int Compiled = EnvInt("BPFSK_FUZZ_COMPILED", 40); // compiling is the slow part: a sample, in batches of one compilation each
        private const int Batch = 20;
        private static readonly TimeSpan Budget = TimeSpan.FromSeconds(EnvInt("BPFSK_FUZZ_SECONDS", 15));
        private readonly ITestOutputHelper _output;

        public GeneratorFuzzTests(ITestOutputHelper output) => _output = output;

        /// <summary>A longer exploration than the suite's, by environment (the suite sets none).</summary>
        private static int EnvInt(string name, int fallback) => int.TryParse(Environment.GetEnvironmentVariable(name), out int value) ? value : fallback;

        [Fact]
        public void MutatedObjectsYieldCompilingSkeletonsOrDiagnostics()
        {
            var seeds = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "bpf"), "*.o")
                .Concat(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Golden"), "*.o"))
                .OrderBy(f => f, StringComparer.Ordinal)
                .Select(path => (Name: Path.GetFileName(path), Bytes: ElfStripper.Strip(ElfFile.Parse(File.ReadAllBytes(path), path))))
                .ToArray();
            // BPFSK_FUZZ_SEED explores other mutants; the suite always runs the same ones.
            var random = new Random(int.TryParse(Environment.GetEnvironmentVariable("BPFSK_FUZZ_SEED"), out int seed) ? seed : 20261207);
            var sampler = new Random(random.Next());
            var sources = new List<(string What, string Source)>();
            int run = 0, skeletons = 0;
            var clock = Stopwatch.StartNew();
            for (; run < Inputs && clock.Elapsed < Budget; run++)
            {
                var (name, bytes) = seeds[random.Next(seeds.Length)];
                var mutant = ObjectMutator.Mutate(bytes, random, out string what);
                var input = new Input($"/fuzz/{run}.bpf.o.bpfobj.txt", $"/fuzz/{run}.bpf.o", Convert.ToBase64String(mutant), "Skeleton", $"Fuzz.N{run}", "public");
                string where = $"input {run} ({name}: {what})";
                var result = Parser.Parse(input, default);
                Assert.All(result.Diagnostics, d => Assert.StartsWith("BPFSK", d.Id));
                var fault = result.Diagnostics.FirstOrDefault(d => d.Id == "BPFSK011");
                if (fault is not null)
                    Assert.Fail($"{where}: the generator failed: {string.Join(" | ", fault.Arguments)}");
                if (result.Model is null) continue;
                skeletons++;
                var source = Emitter.Emit(result.Model, typedMaps: true);
                // A uniform sample of the whole run (reservoir sampling), not just its first skeletons.
                if (sources.Count < Compiled) sources.Add((where, source));
                else if (sampler.Next(skeletons) is var slot && slot < Compiled) sources[slot] = (where, source);
            }
            var generated = clock.Elapsed;
            foreach (var batch in sources.Chunk(Batch))
            {
                var compilation = GeneratorHarness.Compilation(batch.Select(b => b.Source).ToArray());
                var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
                Assert.True(errors.Count == 0, string.Join("\n", errors.Take(5).Select(e => $"{batch.First(b => b.Source == e.Location.SourceTree?.ToString()).What}: {e}")));
            }
            _output.WriteLine($"{run} inputs in {generated.TotalSeconds:F1} s: {skeletons} skeletons, {run - skeletons} refused with diagnostics; {sources.Count} compiled in {(clock.Elapsed - generated).TotalSeconds:F1} s");
            Assert.True(run >= 500, $"only {run} inputs ran in {Budget}");
            Assert.InRange(skeletons, run / 20, run - run / 20);
        }
    }
}
