using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using SharpFuzz;

namespace BpfSkeleton.Fuzzing;

/// <summary>
/// <c>afl</c>: the target for afl-fuzz (run through fuzz.sh, which instruments the runtime first).
/// <c>mutate CORPUS COUNT [SEED]</c>: COUNT seeded mutants of the corpus through open, counted by outcome;
/// an escaping exception stops the run and writes the input to crash-SEED-N.o for replay.
/// <c>replay FILE...</c>: runs inputs once, e.g. a crash AFL found.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "afl":
                Fuzzer.OutOfProcess.Run(stream =>
                {
                    using var buffer = new MemoryStream();
                    stream.CopyTo(buffer);
                    OpenFuzzTarget.Run(buffer.ToArray());
                });
                return 0;
            case "mutate" when args.Length >= 3:
                return Mutate(args[1], long.Parse(args[2]), args.Length > 3 ? int.Parse(args[3]) : 1);
            case "replay" when args.Length >= 2:
                foreach (var file in args.Skip(1))
                    Console.WriteLine($"{file}: {OpenFuzzTarget.Run(File.ReadAllBytes(file))}");
                return 0;
            default:
                Console.Error.WriteLine("usage: afl | mutate CORPUS_DIR COUNT [SEED] | replay FILE...");
                return 2;
        }
    }

    private static int Mutate(string corpus, long count, int seed)
    {
        var seeds = Directory.GetFiles(corpus).OrderBy(f => f, StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
        if (seeds.Length == 0)
        {
            Console.Error.WriteLine($"no seed files in {corpus}");
            return 2;
        }
        var random = new Random(seed);
        var counts = new Dictionary<FuzzOutcome, long>();
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < count; i++)
        {
            var mutant = ObjectMutator.Mutate(seeds[random.Next(seeds.Length)], random, out string what);
            try
            {
                var outcome = OpenFuzzTarget.Run(mutant);
                counts[outcome] = counts.GetValueOrDefault(outcome) + 1;
            }
            catch (Exception e)
            {
                string crash = $"crash-{seed}-{i}.o";
                File.WriteAllBytes(crash, mutant);
                Console.Error.WriteLine($"input {i} ({what}): {e}\nwritten to {crash}");
                return 1;
            }
            if ((i + 1) % 100_000 == 0)
                Console.WriteLine($"{i + 1} inputs, {(i + 1) / clock.Elapsed.TotalSeconds:F0}/s");
        }
        Console.WriteLine($"{count} inputs in {clock.Elapsed.TotalSeconds:F0} s ({count / clock.Elapsed.TotalSeconds:F0}/s), seed {seed}: "
            + string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}")) + ", escaped 0");
        return 0;
    }
}
