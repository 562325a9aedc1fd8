using System;
using BpfSkeleton.Elf;
using BpfSkeleton.Btf;
using BpfSkeleton.Specs;
namespace BpfSkeleton.Benchmarks;
internal static class AllocProbe
{
    public static void Run(string path)
    {
        byte[] bytes = ObjectFileReader.Read(path);
        for (int round = 0; round < 3; round++)
        {
            long a0 = GC.GetAllocatedBytesForCurrentThread();
            var img = ObjectFileReader.Read(path);
            long a1 = GC.GetAllocatedBytesForCurrentThread();
            var elf = ElfFile.Parse(bytes, path);
            long a2 = GC.GetAllocatedBytesForCurrentThread();
            var btf = BtfSpec.Parse(elf.FindSection(".BTF")!.Data, path);
            long a3 = GC.GetAllocatedBytesForCurrentThread();
            var ext = BtfExt.Parse(elf.FindSection(".BTF.ext")!.Data, btf, path);
            long a4 = GC.GetAllocatedBytesForCurrentThread();
            var spec = BpfObjectSpec.Parse(bytes, path);
            long a5 = GC.GetAllocatedBytesForCurrentThread();
            var obj = BpfObject.Open(bytes, path);
            long a6 = GC.GetAllocatedBytesForCurrentThread();
            Console.WriteLine($"read {a1-a0} elf {a2-a1} (sections {elf.Sections.Count}, symbols {elf.Symbols.Count}) btf {a3-a2} (types {btf.TypeCount}) ext {a4-a3} spec-total {a5-a4} open-total {a6-a5}");
        }
    }
}
