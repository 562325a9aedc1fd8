using System;
using System.Diagnostics;
using BpfSkeleton.Interop;

namespace BpfSkeleton.Benchmarks;

/// <summary>
/// `--load OBJECT ITERATIONS [STRUCT_OPS_MAP]`: opens, loads, attaches and disposes one object
/// ITERATIONS times after warm-up and prints, per phase, "phase median_ms best_ms bpf_median_ms bpf_calls" —
/// the same loop and output as bench/reference/load_objects.c. bpf() time needs
/// BPFSKELETON_TIME_BPF=1 (bench/run-load.sh sets it). A struct_ops map name leaves every other
/// struct_ops map uncreated, so exactly one is registered. Then "first_load": the first iteration's load.
/// </summary>
internal static class LoadTiming
{
    private static readonly string[] Phases = { "open", "load", "attach", "destroy" };

    private readonly record struct Sample(double Ms, double BpfMs, long BpfCalls);

    public static void Run(string path, int iterations, string? structOps)
    {
        if (!BpfSyscallTimer.Enabled)
            Console.Error.WriteLine("note: BPFSKELETON_TIME_BPF=1 is not set; bpf() time reads 0");
        var samples = new Sample[Phases.Length][];
        for (int p = 0; p < Phases.Length; p++)
            samples[p] = new Sample[iterations];
        int links = 0;
        // BENCH_NO_ATTACH=1: open, load and dispose only. Without attach there is no detach to wait
        // for, so rounds follow each other at once and caches stay hot (the "hot loop" rows).
        bool attach = Environment.GetEnvironmentVariable("BENCH_NO_ATTACH") != "1";
        Sample firstLoad = default;

        for (int i = -1; i < iterations; i++)
        {
            if (i == 0)
                WarmUp(path, structOps, attach);
            var times = new long[Phases.Length + 1];
            var marks = new (long Calls, TimeSpan Elapsed)[Phases.Length + 1];

            Mark(times, marks, 0);
            var obj = BpfObject.Open(path);
            if (structOps is not null)
                foreach (var map in obj.StructOpsMaps)
                    map.Map.AutoCreate = map.Name == structOps;
            Mark(times, marks, 1);
            obj.Load();
            Mark(times, marks, 2);
            if (attach)
                obj.Attach();
            Mark(times, marks, 3);
            links = obj.Links.Count;
            obj.Dispose();
            Mark(times, marks, 4);
            if (i == -1)
                firstLoad = new Sample(Stopwatch.GetElapsedTime(times[1], times[2]).TotalMilliseconds,
                    (marks[2].Elapsed - marks[1].Elapsed).TotalMilliseconds, marks[2].Calls - marks[1].Calls);
            if (i < 0)
                continue;
            for (int p = 0; p < Phases.Length; p++)
                samples[p][i] = new Sample(
                    Stopwatch.GetElapsedTime(times[p], times[p + 1]).TotalMilliseconds,
                    (marks[p + 1].Elapsed - marks[p].Elapsed).TotalMilliseconds,
                    marks[p + 1].Calls - marks[p].Calls);
        }

        Console.Error.WriteLine($"{path}: {links} links");
        for (int p = 0; p < Phases.Length; p++)
        {
            var s = samples[p];
            long calls = s[0].BpfCalls;
            Array.Sort(s, (x, y) => x.Ms.CompareTo(y.Ms));
            double median = s[iterations / 2].Ms, best = s[0].Ms;
            Array.Sort(s, (x, y) => x.BpfMs.CompareTo(y.BpfMs));
            Console.WriteLine($"{Phases[p]} {median:F4} {best:F4} {s[iterations / 2].BpfMs:F4} {calls}");
        }
        // The first load of the process (JIT, kernel BTF parsed and indexed): what a one-object program pays.
        Console.WriteLine($"first_load {firstLoad.Ms:F4} {firstLoad.Ms:F4} {firstLoad.BpfMs:F4} {firstLoad.BpfCalls}");
    }

    // Steady state needs tiered JIT to finish, and that takes far longer than its rule of thumb (30
    // calls, then a 100 ms quiet spell) suggests: with dynamic PGO a method goes through an
    // instrumented tier first, each new compilation restarts the quiet spell, and the background
    // compiler shares the machine's two CPUs with the rounds. Measured on globals: about 2,400
    // open+load rounds and 1.5 s of JIT time before the count of compiled methods stops rising, with
    // open 5x slower before that. So warm up in batches until a batch and a pause compile nothing new.
    // The C harness warms up 40 rounds; it has no JIT, and kernel-side caches are warm long before.
    private static void WarmUp(string path, string? structOps, bool attach)
    {
        // Tier-up is lazy (it can sit idle for hundreds of rounds before it starts), so one quiet batch
        // proves nothing: settled means this many batches in a row compiled nothing.
        const int MinimumRounds = 40, Batch = 50, QuietBatches = 4;
        var clock = Stopwatch.StartNew();
        int rounds = 0, quiet = 0;
        while (rounds < MinimumRounds || (quiet < QuietBatches && clock.Elapsed.TotalSeconds < 180))
        {
            long compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
            for (int i = 0; i < Batch; i++, rounds++)
            {
                using var obj = BpfObject.Open(path);
                if (structOps is not null)
                    foreach (var map in obj.StructOpsMaps)
                        map.Map.AutoCreate = map.Name == structOps;
                obj.Load();
                if (attach)
                    obj.Attach();
            }
            System.Threading.Thread.Sleep(200);
            quiet = System.Runtime.JitInfo.GetCompiledMethodCount() == compiled ? quiet + 1 : 0;
        }
        Console.Error.WriteLine($"warm-up: {rounds} rounds, {clock.Elapsed.TotalSeconds:F1} s, " +
            $"{System.Runtime.JitInfo.GetCompiledMethodCount()} methods compiled, settled: {quiet >= QuietBatches}");
    }

    /// <summary>
    /// `--load-serve OBJECT [STRUCT_OPS_MAP]`: the request loop of bench/paired-load.py, the same protocol
    /// as `load_objects OBJECT serve`: after warm-up prints "ready", then answers each stdin line
    /// "ATTACH ROUNDS" with the median user-space µs of open + load (load minus its bpf() time) over
    /// that many rounds, attaching and destroying (ATTACH 1) or back to back (ATTACH 0).
    /// </summary>
    public static void Serve(string path, string? structOps)
    {
        if (!BpfSyscallTimer.Enabled)
            throw new InvalidOperationException("--load-serve needs BPFSKELETON_TIME_BPF=1 to take bpf() time out");
        WarmUp(path, structOps, attach: true);
        Console.WriteLine("ready");
        while (Console.ReadLine() is { } line)
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            bool attach = fields[0] == "1";
            var user = new double[int.Parse(fields[1])];
            for (int i = 0; i < user.Length; i++)
                user[i] = UserRound(path, structOps, attach);
            Array.Sort(user);
            Console.WriteLine($"{user[user.Length / 2]:F2}");
        }
    }

    private static double UserRound(string path, string? structOps, bool attach)
    {
        long start = Stopwatch.GetTimestamp();
        using var obj = BpfObject.Open(path);
        if (structOps is not null)
            foreach (var map in obj.StructOpsMaps)
                map.Map.AutoCreate = map.Name == structOps;
        long opened = Stopwatch.GetTimestamp();
        var before = BpfSyscallTimer.Totals.Elapsed;
        obj.Load();
        var inBpf = BpfSyscallTimer.Totals.Elapsed - before;
        long loaded = Stopwatch.GetTimestamp();
        if (attach)
            obj.Attach();
        return (Stopwatch.GetElapsedTime(start, loaded) - inBpf).TotalMicroseconds;
    }

    private static void Mark(long[] times, (long, TimeSpan)[] marks, int index)
    {
        times[index] = Stopwatch.GetTimestamp();
        marks[index] = BpfSyscallTimer.Totals;
    }
}
