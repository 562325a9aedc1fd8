// Usage: BpfSkeleton.StructOpsChild <object.bpf.o> <struct_ops map> <congestion-control name>
// Loads the object with only that struct_ops map, registers it under the name, prints "registered <map id>",
// then waits forever.
using System;
using System.Text;
using System.Threading;
using BpfSkeleton;

using var obj = BpfObject.Open(args[0]);
foreach (var map in obj.StructOpsMaps) map.Map.AutoCreate = map.Name == args[1];
var ops = obj.StructOps(args[1]);
var name = ops.WriteMember(ops.Member("name"));
name.Clear();
Encoding.ASCII.GetBytes(args[2], name);
obj.Load();
var registration = ops.Register();
Console.WriteLine($"registered {obj.Map(args[1]).Map.Id}");
Console.Out.Flush();
Thread.Sleep(Timeout.Infinite);
GC.KeepAlive(registration);
