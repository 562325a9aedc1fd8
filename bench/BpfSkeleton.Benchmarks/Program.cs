using System;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace BpfSkeleton.Benchmarks;

public static class Program
{
    /// <summary>
    /// `--load OBJECT N [STRUCT_OPS_MAP]` times open/load/attach/dispose (bench/run-load.sh);
    /// `--load-serve OBJECT [STRUCT_OPS_MAP]` answers bench/paired-load.py's requests;
    /// `--loop OBJECT SECONDS [load] [file] [cold]` repeats open (+load) for a profiler;
    /// `--alloc OBJECT` prints bytes allocated per parsing phase; `--maps-serve` runs timed map
    /// operation blocks on request for bench/paired-maps.py;
    /// `--quick [N]` prints Stopwatch timings (used by bench/run-btf.sh); `--short` runs a short
    /// BenchmarkDotNet job for iterating; otherwise BenchmarkDotNet's defaults apply.
    /// </summary>
    public static void Main(string[] args)
    {
        if (args.Length >= 3 && args[0] == "--load")
        {
            try
            {
                LoadTiming.Run(args[1], int.Parse(args[2]), args.Length > 3 ? args[3] : null);
            }
            catch (Exception e) when (e is BpfException or BpfLoadException)
            {
                // A load the runtime cannot do yet is a result to report, not a crash.
                Console.Error.WriteLine(e);
                Console.WriteLine($"failed: {e.Message.Split('\n')[0]}");
                System.Environment.Exit(1);
            }
            return;
        }
        if (args.Length >= 2 && args[0] == "--load-serve")
        {
            LoadTiming.Serve(args[1], args.Length > 2 && args[2] != "-" ? args[2] : null);
            return;
        }
        if (args.Length >= 2 && args[0] == "--alloc") { AllocProbe.Run(args[1]); return; }
        if (args.Length >= 1 && args[0] == "--maps-serve") { MapOpsServer.Run(); return; }
        if (args.Length >= 3 && args[0] == "--loop")
        {
            LoopForProfiler.Run(args[1], double.Parse(args[2]), System.Array.IndexOf(args, "load") > 0, System.Array.IndexOf(args, "file") > 0, System.Array.IndexOf(args, "cold") > 0);
            return;
        }
        int quick = System.Array.IndexOf(args, "--quick");
        if (quick >= 0)
        {
            QuickTiming.Run(quick + 1 < args.Length ? int.Parse(args[quick + 1]) : 200);
            return;
        }
        IConfig config = DefaultConfig.Instance;
        if (System.Array.IndexOf(args, "--short") >= 0)
        {
            args = System.Array.FindAll(args, a => a != "--short");
            config = config.AddJob(Job.ShortRun.WithWarmupCount(3).WithIterationCount(5));
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
