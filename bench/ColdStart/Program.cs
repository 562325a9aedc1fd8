using System;
using BpfSkeleton;

// Opens, loads and attaches one object, then exits (disposing everything): the whole life of a
// small BPF tool. Usage: BpfSkeleton.ColdStart OBJECT [STRUCT_OPS_MAP] | --runtime-only
// --runtime-only: exits at once without touching the loader, so the runtime's own start (the floor
// under every row of bench/run-coldstart.sh) is measured the same way.
if (args is ["--runtime-only"])
    return 0;
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: BpfSkeleton.ColdStart OBJECT [STRUCT_OPS_MAP]");
    return 2;
}
using var obj = BpfObject.Open(args[0]);
if (args.Length > 1)
    foreach (var map in obj.StructOpsMaps)
        map.Map.AutoCreate = map.Name == args[1];
long start = System.Diagnostics.Stopwatch.GetTimestamp();
obj.Load();
var loadTime = System.Diagnostics.Stopwatch.GetElapsedTime(start);
// COLD_START_PRINT_LOAD=1: the first load's time in this process, as bench/reference/cold_start.c prints its own.
if (Environment.GetEnvironmentVariable("COLD_START_PRINT_LOAD") == "1")
    Console.WriteLine($"load_ms {loadTime.TotalMilliseconds:F3}");
obj.Attach();
return obj.Links.Count > 0 ? 0 : 1;
