using System;
using System.Diagnostics;
using System.IO;
using BpfSkeleton.Btf;

namespace BpfSkeleton.Benchmarks;

/// <summary>
/// `--quick`: a plain Stopwatch loop with the same work as the benchmarks and the C reference
/// (mean and best of many iterations), for side-by-side output in bench/run-btf.sh.
/// </summary>
internal static class QuickTiming
{
    public static void Run(int iterations)
    {
        byte[] vmlinux = File.ReadAllBytes("/sys/kernel/btf/vmlinux");
        Report("parse", iterations, () => BtfSpec.Parse(vmlinux, "vmlinux").TypeCount);
        Report("parse + struct_ops lookups", iterations, () => VmlinuxBtfBenchmarks.StructOpsLookups(BtfSpec.Parse(vmlinux, "vmlinux")));
        var bench = new VmlinuxBtfBenchmarks();
        bench.ReadOnce();
        Report("parse + struct_ops + 20 CO-RE struct lookups", iterations, () => bench.ParseStructOpsAndCoreLookups());
        Report("read file + parse + struct_ops + 20 CO-RE", iterations, () =>
        {
            var btf = BtfSpec.Parse(File.ReadAllBytes("/sys/kernel/btf/vmlinux"), "vmlinux");
            long total = VmlinuxBtfBenchmarks.StructOpsLookups(btf);
            foreach (var name in VmlinuxBtfBenchmarks.CommonStructs)
                total += btf.TryFindByName(name, BtfKind.Struct, out int id) ? id : 0;
            return total;
        });
        var spec = BtfSpec.Parse(vmlinux, "vmlinux");
        spec.TryFindByName("task_struct", BtfKind.Struct, out _);
        Report("one struct lookup (index built)", iterations * 100, () => spec.TryFindByName("tcp_sock", BtfKind.Struct, out int id) ? id : 0);
    }

    private static void Report(string what, int iterations, Func<long> work)
    {
        long first = Stopwatch.GetTimestamp();
        work(); // the first call of the process (of this work): JIT included
        double firstMs = Stopwatch.GetElapsedTime(first).TotalMilliseconds;
        for (int i = 0; i < Math.Min(50, iterations); i++)
            work();
        double best = double.MaxValue;
        var total = Stopwatch.StartNew();
        for (int i = 0; i < iterations; i++)
        {
            long start = Stopwatch.GetTimestamp();
            work();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        Console.WriteLine($"dotnet  {what,-48} mean {total.Elapsed.TotalMilliseconds / iterations,8:F3} ms   best {best,8:F3} ms   first {firstMs,8:F3} ms");
    }
}
