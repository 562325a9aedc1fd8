// Counts this process's write() calls with a tracepoint program. Global data both ways: the pid
// to watch goes into .rodata before load, the counts come back from the mmapped .bss.
using BpfSkeleton.Examples;
using Minimal;

var line = new CommandLine(args, """
    usage: Minimal [--duration SECONDS]
      --duration SECONDS   run this long (default 5; 0: until Ctrl+C)
    """);
var duration = line.Duration(defaultSeconds: 5);
line.RejectUnknown();
Privileges.RequireRoot();

using var skeleton = MinimalSkeleton.Open();
skeleton.Rodata.TargetPid = Environment.ProcessId;
skeleton.Load();   // a light skeleton (Light="true" in Minimal.csproj): one loader program makes the maps and programs
skeleton.Attach(); // tracepoint/syscalls/sys_enter_write: the section names the target
if (MinimalSkeleton.IsLight)
    Console.WriteLine("loaded by the light skeleton's loader program");

Console.WriteLine($"counting write() calls of pid {Environment.ProcessId}; every line printed below is one of them");
using var lifetime = new Lifetime(duration);
while (lifetime.Wait(TimeSpan.FromSeconds(1)))
    Console.WriteLine($"write() called {skeleton.Bss.Writes} times, {skeleton.Bss.BytesRequested} bytes requested");
Console.WriteLine($"done: {skeleton.Bss.Writes} write() calls seen");
