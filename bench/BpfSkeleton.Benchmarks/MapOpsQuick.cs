using System;
using System.Diagnostics;

namespace BpfSkeleton.Benchmarks;

/// <summary>`--maps-quick`: MapOpsBenchmarks' lookup and update in a Stopwatch loop shaped like map_ops.c (11 rounds of 51,200, median), to check BenchmarkDotNet's numbers.</summary>
internal static class MapOpsQuick
{
    public static void Run()
    {
        var bench = new MapOpsBenchmarks();
        bench.Setup();
        Report("Lookup", () => bench.Lookup());
        Report("Update", () => { bench.Update(); return 0; });
        bench.Cleanup();
    }

    private static void Report(string name, Func<ulong> operation)
    {
        const int Rounds = 11, PerRound = 50 * MapOpsBenchmarks.Entries;
        var rates = new double[Rounds];
        for (int warm = 0; warm < PerRound; warm++) operation();
        for (int r = 0; r < Rounds; r++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < PerRound; i++) operation();
            rates[r] = PerRound / Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        Array.Sort(rates);
        Console.WriteLine($"{name} {rates[Rounds / 2]:F0}");
    }
}
