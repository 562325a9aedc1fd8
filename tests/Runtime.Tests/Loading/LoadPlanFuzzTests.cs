using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using BpfSkeleton.Fuzzing;
using BpfSkeleton.Loading;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using BpfSkeleton.Runtime.Tests.ObjectModel;
using Xunit;
using Xunit.Abstractions;

namespace BpfSkeleton.Runtime.Tests.Loading;

/// <summary>
/// Seeded mutants that open are planned for load through a recording back-end (the loader's whole pipeline,
/// nothing created in the kernel): a malformed object fails with a BpfException saying why (format, load,
/// not supported), never with another exception.
/// </summary>
[Collection("Kernel")]
public class LoadPlanFuzzTests(ITestOutputHelper output)
{
    private const int Inputs = 3_000;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);

    [KernelFact]
    public async Task MutatedObjectsPlanOrFailWithABpfException()
    {
        await FuzzWatchdog.Run(Fuzz, () => current, Budget, "planning");
    }

    private volatile string current = "nothing yet";

    private void Fuzz()
    {
        var seeds = OpenFuzzTests.Seeds();
        // BPFSK_FUZZ_SEED explores other mutants; the suite always runs the same ones.
        var random = new Random(int.TryParse(Environment.GetEnvironmentVariable("BPFSK_FUZZ_SEED"), out int seed) ? seed : 20261207);
        var outcomes = new Dictionary<string, int>();
        var clock = Stopwatch.StartNew();
        int run = 0;
        for (; run < Inputs && clock.Elapsed < Budget; run++)
        {
            var (name, bytes) = seeds[random.Next(seeds.Length)];
            var mutant = ObjectMutator.Mutate(bytes, random, out string what);
            string outcome;
            current = $"input {run} ({name}: {what})";
            try
            {
                using var obj = BpfObject.Open(mutant, name);
                ObjectLoader.Run(obj, new LoadPlan(obj), new RecordingBackend());
                outcome = "planned";
            }
            catch (BpfException e)
            {
                outcome = e.GetType().Name;
            }
            catch (Exception e)
            {
                throw new Exception($"input {run} ({name}: {what}): {e.GetType().Name} escaped load: {e}", e);
            }
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }
        output.WriteLine($"{run} inputs in {clock.Elapsed.TotalSeconds:F1} s: {string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}"))}");
        Assert.True(run >= 300, $"only {run} inputs ran in {Budget}");
        Assert.True(outcomes.GetValueOrDefault("planned") > run / 10, "too few mutants reached a plan");
    }
}
