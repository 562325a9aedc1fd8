using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BpfSkeleton.Btf;
using BpfSkeleton.Elf;
using BpfSkeleton.Runtime.Tests.Infrastructure;

namespace BpfSkeleton.Runtime.Tests.ObjectModel;

/// <summary>The test objects and the running kernel's BTF, parsed through the object model.</summary>
internal static class ObjectFiles
{
    public const string VmlinuxPath = "/sys/kernel/btf/vmlinux";

    /// <summary>Every object the build compiled; the list is checked so a missing build fails loudly.</summary>
    public static string[] All()
    {
        var files = TestObjects.All().OrderBy(f => f, StringComparer.Ordinal).ToArray();
        foreach (var expected in new[] { "core", "externs", "maps", "subprogs", "globals", "tcp_cc", "dummy_ops" })
        {
            if (!files.Any(f => Path.GetFileName(f).StartsWith(expected + ".", StringComparison.Ordinal)))
                throw new FileNotFoundException($"test object {expected} was not built into {TestObjects.Directory}");
        }
        return files;
    }

    public static IEnumerable<object[]> AllAsTheory() => All().Select(f => new object[] { Path.GetFileName(f) });

    public static string PathOf(string fileName) => Path.Combine(TestObjects.Directory, fileName);

    public static string Named(string stem) => All().Single(f => Path.GetFileName(f).StartsWith(stem + ".", StringComparison.Ordinal));

    public static ElfFile Elf(string path) => ElfFile.Parse(File.ReadAllBytes(path), Path.GetFileName(path));

    public static BtfSpec Btf(ElfFile elf)
    {
        var section = elf.FindSection(".BTF") ?? throw new InvalidOperationException($"{elf.FileName} has no .BTF");
        return BtfSpec.Parse(section.Data, elf.FileName);
    }

    public static BtfExt BtfExt(ElfFile elf, BtfSpec btf)
    {
        var section = elf.FindSection(".BTF.ext") ?? throw new InvalidOperationException($"{elf.FileName} has no .BTF.ext");
        return BpfSkeleton.Btf.BtfExt.Parse(section.Data, btf, elf.FileName);
    }

    private static BtfSpec? _vmlinux;

    public static BtfSpec Vmlinux => _vmlinux ??= BtfSpec.Parse(File.ReadAllBytes(VmlinuxPath), "vmlinux");
}
