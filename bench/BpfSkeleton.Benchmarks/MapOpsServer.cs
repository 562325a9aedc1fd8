using System;
using System.Diagnostics;

namespace BpfSkeleton.Benchmarks;

/// <summary>
/// `--maps-serve`: MapOpsBenchmarks' operations, one timed block per stdin line "OPERATION CALLS",
/// answered with that block's operations per second. bench/paired-maps.py alternates blocks of
/// this process and of `map_ops --serve` (libbpf), both warm, so machine drift lands on both sides.
/// </summary>
internal static class MapOpsServer
{
    public static void Run()
    {
        var bench = new MapOpsBenchmarks();
        bench.Setup();
        try
        {
            while (Console.ReadLine() is { } line)
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                int calls = int.Parse(fields[1]);
                long start = Stopwatch.GetTimestamp();
                int perCall = RunBlock(bench, fields[0], calls);
                double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                Console.WriteLine($"{(double)calls * perCall / seconds:F0}");
            }
        }
        finally
        {
            bench.Cleanup();
        }
    }

    /// <summary>Runs the block; returns the elements per call. Each operation gets its own loop, so no delegate call is timed.</summary>
    private static int RunBlock(MapOpsBenchmarks bench, string operation, int calls)
    {
        switch (operation)
        {
            case "Lookup":
                for (int i = 0; i < calls; i++) bench.Lookup();
                return 1;
            case "Update":
                for (int i = 0; i < calls; i++) bench.Update();
                return 1;
            case "UpdateThenDelete":
                for (int i = 0; i < calls; i++) bench.UpdateThenDelete();
                return 1;
            case "LookupBatch":
                for (int i = 0; i < calls; i++) bench.LookupBatch();
                return MapOpsBenchmarks.Entries;
            case "UpdateBatch":
                for (int i = 0; i < calls; i++) bench.UpdateBatch();
                return MapOpsBenchmarks.Entries;
            default:
                throw new ArgumentException($"unknown operation {operation}");
        }
    }
}
