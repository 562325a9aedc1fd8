// Usage: BpfSkeleton.StructOpsChild <object.bpf.o> <struct_ops map>
// Loads the object with only that struct_ops map, registers it, says so, then waits forever.
using System;
using System.Threading;
using BpfSkeleton;

using var obj = BpfObject.Open(args[0]);
foreach (var map in obj.StructOpsMaps) map.Map.AutoCreate = map.Name == args[1];
obj.Load();
var registration = obj.StructOps(args[1]).Register();
Console.WriteLine("registered");
Console.Out.Flush();
Thread.Sleep(Timeout.Infinite);
GC.KeepAlive(registration);
