// Traces process exec and exit through a ring buffer, as libbpf-bootstrap's bootstrap does.
// Records arrive typed as BootstrapSkeleton.Event, the generator's mirror of the C struct event.
using Bootstrap;
using BpfSkeleton;
using BpfSkeleton.Examples;
using BpfSkeleton.RingBuffer;

var line = new CommandLine(args, """
    usage: Bootstrap [--min-duration MS] [--duration SECONDS]
      --min-duration MS    report only processes that lived at least this long (default 0: every exec and exit)
      --duration SECONDS   run this long (default 5; 0: until Ctrl+C)
    """);
var minDuration = TimeSpan.FromMilliseconds(line.Double("--min-duration", 0));
var duration = line.Duration(defaultSeconds: 5);
line.RejectUnknown();
Privileges.RequireRoot();

using var skeleton = BootstrapSkeleton.Open();
skeleton.Rodata.MinDurationNs = (ulong)(minDuration.Ticks * 100);
skeleton.Load();
skeleton.Attach();

using var ringBuffer = new BpfRingBuffer();
ringBuffer.Add<BootstrapSkeleton.Event>(skeleton.Maps.Events.Map, Print);

Console.WriteLine($"{"TIME",-8} {"EVENT",-5} {"COMM",-16} {"PID",-7} {"PPID",-7} FILENAME/EXIT CODE");
using var lifetime = new Lifetime(duration);
while (!lifetime.IsStopping)
    ringBuffer.Poll(timeoutMs: 100);

var stillRunning = 0;
foreach (var _ in skeleton.Maps.Running.Keys()) stillRunning++;
Console.WriteLine($"done: {stillRunning} traced processes still running");

static int Print(ref readonly BootstrapSkeleton.Event e)
{
    var common = $"{DateTime.Now:HH:mm:ss} {(e.ExitEvent ? "EXIT" : "EXEC"),-5} {CString.From(e.Comm),-16} {e.Pid,-7} {e.Ppid,-7}";
    if (!e.ExitEvent)
        Console.WriteLine($"{common} {CString.From(e.Filename)}");
    else if (e.ExecTimeNs != 0)
        Console.WriteLine($"{common} [{e.ExitCode}] ({e.DurationNs / 1_000_000}ms)");
    else
        Console.WriteLine($"{common} [{e.ExitCode}]");
    return 0;
}
