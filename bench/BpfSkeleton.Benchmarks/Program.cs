using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace BpfSkeleton.Benchmarks;

public static class Program
{
    /// <summary>`--short` runs a quick job for iterating; without it BenchmarkDotNet's defaults apply.</summary>
    public static void Main(string[] args)
    {
        IConfig config = DefaultConfig.Instance;
        if (System.Array.IndexOf(args, "--short") >= 0)
        {
            args = System.Array.FindAll(args, a => a != "--short");
            config = config.AddJob(Job.ShortRun.WithWarmupCount(3).WithIterationCount(5));
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
