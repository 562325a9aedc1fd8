using BpfSkeleton.Runtime.Tests.Infrastructure;
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using BpfSkeleton.Elf;
using BpfSkeleton.Fuzzing;
using Xunit;
using Xunit.Abstractions;

namespace BpfSkeleton.Runtime.Tests.ObjectModel;

/// <summary>
/// Seeded mutation fuzzing of open (the one parser the loader and the generator share) over every test object:
/// whatever the damage, an object opens and reads, or is refused with <see cref="BpfFormatException"/>. Bounded
/// in count and in time so it runs with the suite; tests/Fuzzing runs the same mutations for longer.
/// </summary>
public class OpenFuzzTests(ITestOutputHelper output)
{
    private const int Inputs = 50_000;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task MutatedObjectsOpenOrAreRefusedAsMalformed()
    {
        await FuzzWatchdog.Run(Fuzz, () => current, Budget, "open");
    }

    private volatile string current = "nothing yet";

    private void Fuzz()
    {
        var seeds = Seeds();
        // BPFSK_FUZZ_SEED explores other mutants; the suite always runs the same ones.
        var random = new Random(int.TryParse(Environment.GetEnvironmentVariable("BPFSK_FUZZ_SEED"), out int seed) ? seed : 20261207);
        var counts = new Dictionary<FuzzOutcome, int>();
        var clock = Stopwatch.StartNew();
        int run = 0;
        for (; run < Inputs && clock.Elapsed < Budget; run++)
        {
            var (name, bytes) = seeds[random.Next(seeds.Length)];
            var mutant = ObjectMutator.Mutate(bytes, random, out string what);
            current = $"input {run} ({name}: {what})";
            FuzzOutcome outcome;
            try
            {
                outcome = OpenFuzzTarget.Run(mutant);
            }
            catch (Exception e)
            {
                throw new Exception($"input {run} ({name}: {what}): {e.GetType().Name} escaped open: {e}", e);
            }
            counts[outcome] = counts.GetValueOrDefault(outcome) + 1;
        }
        output.WriteLine($"{run} inputs in {clock.Elapsed.TotalSeconds:F1} s: {string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}"))}");
        // The mutations must bite and must not only break: both outcomes are common.
        Assert.True(run >= 2_000, $"only {run} inputs ran in {Budget}");
        Assert.InRange(counts.GetValueOrDefault(FuzzOutcome.Refused), run / 20, run - run / 20);
    }

    /// <summary>The test objects without DWARF (what the generator embeds), so mutations land where open reads.</summary>
    internal static (string Name, byte[] Bytes)[] Seeds()
        => ObjectFiles.All().Select(path => (Path.GetFileName(path), ElfStripper.Strip(ElfFile.Parse(File.ReadAllBytes(path), path)))).ToArray();
}
