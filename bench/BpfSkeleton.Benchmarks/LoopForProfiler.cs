using System;
using System.Diagnostics;

namespace BpfSkeleton.Benchmarks;

/// <summary>
/// `--loop OBJECT SECONDS [load] [file] [cold]`: repeats open (or open+load+dispose; from the file or
/// from bytes) of one object for a while, so `perf record` (with DOTNET_PerfMapEnabled=1) sees where
/// the time goes. `cold` sleeps 20 ms between rounds, as LoadTiming's destroy does, so caches cool
/// down the way they do there. Prints the median and mean time of one round, the CPU time and bytes
/// allocated per round.
/// </summary>
internal static class LoopForProfiler
{
    public static void Run(string path, double seconds, bool load, bool fromFile, bool cold)
    {
        byte[] bytes = System.IO.File.ReadAllBytes(path);
        var samples = new System.Collections.Generic.List<double>();
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        TimeSpan busy = TimeSpan.Zero;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            long start = Stopwatch.GetTimestamp();
            using (var obj = fromFile ? BpfObject.Open(path) : BpfObject.Open(bytes, path))
            {
                if (load)
                    obj.Load();
            }
            var elapsed = Stopwatch.GetElapsedTime(start);
            busy += elapsed;
            samples.Add(elapsed.TotalMilliseconds * 1000);
            if (cold)
                System.Threading.Thread.Sleep(20);
        }
        // CPU time is steadier than wall time on a shared machine (it still counts GC and JIT threads).
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        int count = samples.Count;
        samples.Sort();
        Console.WriteLine($"{(load ? "open+load+dispose" : "open+dispose")} {(fromFile ? "file" : "bytes")}{(cold ? " cold" : "")}: " +
            $"median {samples[count / 2]:F1} us, mean {busy.TotalMilliseconds * 1000 / count:F1} us, cpu {cpu.TotalMilliseconds * 1000 / count:F1} us, " +
            $"allocated {allocated / count / 1024.0:F1} KiB, over {count}; gen0/1/2 GCs {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}");
    }
}
