using System;
using System.Diagnostics;

namespace BpfSkeleton.Benchmarks;

/// <summary>
/// `--loop OBJECT SECONDS [load] [file]`: repeats open (or open+load+dispose; from the file or from bytes) of one object for a
/// while, so `perf record` (with DOTNET_PerfMapEnabled=1) sees where the time goes; prints the mean.
/// </summary>
internal static class LoopForProfiler
{
    public static void Run(string path, double seconds, bool load, bool fromFile)
    {
        byte[] bytes = System.IO.File.ReadAllBytes(path);
        long count = 0;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            using var obj = fromFile ? BpfObject.Open(path) : BpfObject.Open(bytes, path);
            if (load)
                obj.Load();
            count++;
        }
        // CPU time is steadier than wall time on a shared machine (it still counts GC and JIT threads).
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Console.WriteLine($"{(load ? "open+load+dispose" : "open+dispose")} {(fromFile ? "file" : "bytes")}: wall {clock.Elapsed.TotalMilliseconds * 1000 / count:F1} us, cpu {cpu.TotalMilliseconds * 1000 / count:F1} us, allocated {allocated / count / 1024.0:F1} KiB, over {count}; gen0/1/2 GCs {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}");
    }
}
