using System;
using System.Diagnostics;
using BpfSkeleton.Btf;
using BpfSkeleton.Elf;
using BpfSkeleton.Handles;
using BpfSkeleton.Specs;

namespace BpfSkeleton.Benchmarks;

/// <summary>
/// `--alloc OBJECT`: what each step of open costs, in bytes allocated and in time per call (mean of a
/// tight loop after the JIT has tiered up: a lower bound, as caches stay hot). The steps nest: the
/// spec includes ELF, BTF and BTF.ext; open from bytes adds the object; open from the file adds the read.
/// </summary>
internal static class AllocProbe
{
    public static void Run(string path)
    {
        byte[] bytes = ObjectFileReader.Read(path);
        var elf = ElfFile.Parse(bytes, path);
        var btf = BtfSpec.Parse(elf.FindSection(".BTF")!.Data, path);
        var steps = new (string Name, Func<object> Step)[]
        {
            ("read file", () => ObjectFileReader.Read(path)),
            ("ELF", () => ElfFile.Parse(bytes, path)),
            ("BTF", () => BtfSpec.Parse(elf.FindSection(".BTF")!.Data, path)),
            ("BTF.ext", () => BtfExt.Parse(elf.FindSection(".BTF.ext")!.Data, btf, path)),
            ("spec (all of the above but the read)", () => BpfObjectSpec.Parse(bytes, path)),
            ("open from bytes", () => { var o = BpfObject.Open(bytes, path); o.Dispose(); return o; }),
            ("open from file", () => { var o = BpfObject.Open(path); o.Dispose(); return o; }),
        };
        // Tier-up needs calls and time; a few seconds of every step gets each to its final code.
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < 4)
            foreach (var (_, step) in steps)
                for (int i = 0; i < 100; i++)
                    step();
        foreach (var (name, step) in steps)
        {
            const int Calls = 20_000;
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < Calls; i++)
                step();
            double us = Stopwatch.GetElapsedTime(start).TotalMilliseconds * 1000 / Calls;
            allocated = (GC.GetAllocatedBytesForCurrentThread() - allocated) / Calls;
            Console.WriteLine($"{name,-40} {us,8:F2} us {allocated,8} B");
        }
        Console.WriteLine($"sections {elf.Sections.Count}, symbols {elf.Symbols.Count}, BTF types {btf.TypeCount}, image {bytes.Length} bytes");
    }
}
