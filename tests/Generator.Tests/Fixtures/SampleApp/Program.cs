using System;
using System.Security.Cryptography;
using SampleApp;

// Prints what the end-to-end test checks: embedded bytes (hashed) and a shadow edited before load.
Console.WriteLine($"ops {Convert.ToHexString(SHA256.HashData(GoldenOpsSkeleton.ObjectBytes))}");
Console.WriteLine($"counter {Convert.ToHexString(SHA256.HashData(CounterProgram.ObjectBytes))}");
using var ops = GoldenOpsSkeleton.Open();
ops.StructOps.Sample.Name = "renamed";
ops.StructOps.Sample.Flags = 42;
ops.StructOps.Sample.Compute = ops.Programs.OpsComputeAlt;
Console.WriteLine($"shadow {ops.StructOps.Sample.Name} {ops.StructOps.Sample.Flags} {ops.StructOps.Sample.Compute?.Name}");
using var counter = CounterProgram.Open();
Console.WriteLine($"program {counter.Programs.CountGetpid.Name} {counter.Bss.Hits}");
