// A sampling profiler: a software CPU-clock perf event on every CPU runs a BPF program that sends
// the current process and its kernel stack through a ring buffer. Prints the busiest processes
// and the kernel functions most often on CPU.
using BpfSkeleton;
using BpfSkeleton.Examples;
using BpfSkeleton.Links;
using BpfSkeleton.RingBuffer;
using Profile;

var line = new CommandLine(args, """
    usage: Profile [--frequency HZ] [--duration SECONDS]
      --frequency HZ       samples per second per CPU (default 99)
      --duration SECONDS   run this long (default 5; 0: until Ctrl+C)
    """);
var frequency = line.UInt32("--frequency", 99);
var duration = line.Duration(defaultSeconds: 5);
line.RejectUnknown();
Privileges.RequireRoot();

using var skeleton = ProfileSkeleton.Open();
skeleton.Load();

var links = new List<BpfLink>();
try
{
    for (var cpu = 0; cpu < Environment.ProcessorCount; cpu++)
        links.Add(skeleton.Programs.SampleStack.AttachPerfEvent(PerfEventConfig.CpuClock(frequency), cpu));
    Console.WriteLine($"sampling {links.Count} CPUs at {frequency} Hz");

    var byProcess = new Dictionary<string, int>();
    var byKernelFunction = new Dictionary<string, int>();
    var symbols = KernelSymbols.Load();
    var total = 0;

    using var ringBuffer = new BpfRingBuffer();
    ringBuffer.Add(skeleton.Maps.Samples.Map, (ref readonly ProfileSkeleton.StackSample sample) =>
    {
        total++;
        Increment(byProcess, sample.Pid == 0 ? "(idle)" : $"{CString.From(sample.Comm)} [{sample.Pid}]");
        if (sample.KernelStackBytes >= sizeof(ulong))
            Increment(byKernelFunction, symbols.Resolve(sample.KernelStack[0]));
        return 0;
    });

    using var lifetime = new Lifetime(duration);
    while (lifetime.Wait(TimeSpan.FromSeconds(1)))
    {
        ringBuffer.Consume();
        Console.WriteLine($"{total} samples");
    }
    ringBuffer.Consume();

    PrintTop("processes", byProcess, total);
    PrintTop("kernel functions on CPU (leaf frame of kernel stacks)", byKernelFunction, total);
    Console.WriteLine($"done: {total} samples, {skeleton.Bss.Dropped} dropped");
}
finally
{
    foreach (var link in links) link.Dispose();
}

static void Increment(Dictionary<string, int> counts, string key)
    => counts[key] = counts.GetValueOrDefault(key) + 1;

static void PrintTop(string title, Dictionary<string, int> counts, int total)
{
    Console.WriteLine();
    Console.WriteLine($"top {title}:");
    foreach (var (name, count) in counts.OrderByDescending(c => c.Value).Take(8))
        Console.WriteLine($"  {100.0 * count / Math.Max(1, total),5:F1}%  {count,6}  {name}");
}
