// Prints every program started on this machine until Ctrl+C (or SIGTERM). Run as root:
//   sudo dotnet run
// exec.bpf.c is compiled by clang at build; ExecSkeleton is generated from the object.
using System.Runtime.InteropServices;
using BpfApp;
using BpfSkeleton;
using BpfSkeleton.RingBuffer;

if (!Environment.IsPrivilegedProcess)
{
    Console.Error.WriteLine("Loading BPF programs needs root (or CAP_BPF and CAP_PERFMON): run with sudo.");
    return 1;
}

using var skeleton = ExecSkeleton.Open();
skeleton.Rodata.IgnoredPid = Environment.ProcessId; // before Load: .rodata is frozen afterwards
skeleton.Load();
skeleton.Attach();

// Not disposed: a signal's handler runs on a thread-pool thread and may still be running while the program ends.
var stop = new CancellationTokenSource();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

using var ringBuffer = new BpfRingBuffer();
ringBuffer.Add<ExecSkeleton.Event>(skeleton.Maps.Events.Map, Print);

Console.WriteLine($"{"PID",-8} COMM  (Ctrl+C to stop)");
while (!stop.IsCancellationRequested)
    ringBuffer.Poll(timeoutMs: 100);
Console.WriteLine($"{skeleton.Bss.ExecCount} programs started while tracing");
return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true; // leave the loop and dispose the skeleton, which detaches the program
    stop.Cancel();
}

static int Print(ref readonly ExecSkeleton.Event e)
{
    Console.WriteLine($"{e.Pid,-8} {SkeletonText.Read(MemoryMarshal.AsBytes<sbyte>(e.Comm))}");
    return 0;
}
