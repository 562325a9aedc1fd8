// Probes libc's atoi() on entry and return (uprobe + uretprobe), limited to this process, then
// calls it: each call comes back through a perf buffer with its argument, result and latency.
using System.Runtime.InteropServices;
using BpfSkeleton;
using BpfSkeleton.Examples;
using BpfSkeleton.PerfBuffer;
using Uprobe;

var line = new CommandLine(args, """
    usage: Uprobe [--duration SECONDS]
      --duration SECONDS   run this long (default 5; 0: until Ctrl+C)
    """);
var duration = line.Duration(defaultSeconds: 5);
line.RejectUnknown();
Privileges.RequireRoot();

const string Library = "libc.so.6"; // resolved through the ld.so cache, as the dynamic linker would
const string Function = "atoi";

using var skeleton = UprobeSkeleton.Open();
skeleton.Load();
var pid = Environment.ProcessId;
using var entry = skeleton.Programs.AtoiEntry.AttachUprobe(Library, Function, processId: pid);
using var exit = skeleton.Programs.AtoiReturn.AttachUprobe(Library, Function, isReturn: true, processId: pid);
Console.WriteLine($"probing {Library}:{Function} in pid {pid}");

using var perfBuffer = new BpfPerfBuffer(skeleton.Maps.Completed.Map, PrintCall,
    (cpu, lost) => Console.WriteLine($"lost {lost} calls on cpu {cpu}"));

using var lifetime = new Lifetime(duration);
var inputs = new[] { "42", "-17", "2147483647", "  7 dwarves", "not a number" };
for (var i = 0; !lifetime.IsStopping; i++)
{
    var text = inputs[i % inputs.Length];
    Console.WriteLine($"calling atoi(\"{text}\") -> {LibC.atoi(text)}");
    perfBuffer.Poll(timeoutMs: 100);
    lifetime.Wait(TimeSpan.FromMilliseconds(400));
}
perfBuffer.Consume();
Console.WriteLine($"done: {skeleton.Bss.Entries} entries and {skeleton.Bss.Returns} returns probed");

static void PrintCall(int cpu, ReadOnlySpan<byte> sample)
{
    var call = MemoryMarshal.Read<UprobeSkeleton.Call>(sample);
    Console.WriteLine($"  uprobe saw atoi(\"{CString.From(call.Text)}\") = {call.Result} in {call.DurationNs} ns on cpu {cpu}");
}

internal static partial class LibC
{
    [LibraryImport("libc.so.6", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int atoi(string text);
}
