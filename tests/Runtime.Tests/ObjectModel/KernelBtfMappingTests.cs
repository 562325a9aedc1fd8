using System;
using System.IO;
using System.Runtime.InteropServices;
using BpfSkeleton.Btf;
using BpfSkeleton.KernelFacts;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.ObjectModel;

/// <summary>
/// Kernel BTF is read where the kernel maps it (Linux 6.16+), and a spec over mapped bytes reads exactly as
/// one over a copy; name lookups answer alike before and after the index of their kind is built.
/// </summary>
public class KernelBtfMappingTests
{
    [Fact]
    public void VmlinuxIsMappedNotCopiedWhereTheKernelAllows()
    {
        var mapped = KernelBtfMapping.TryMap(ObjectFiles.VmlinuxPath);
        if (mapped is null)
        {
            Assert.True(Environment.OSVersion.Version < new Version(6, 16), "a 6.16+ kernel maps /sys/kernel/btf/vmlinux");
            return;
        }
        Assert.False(MemoryMarshal.TryGetArray(KernelTypes.Vmlinux.RawBytes, out ArraySegment<byte> _));
        Assert.True(mapped.Value.Span.SequenceEqual(File.ReadAllBytes(ObjectFiles.VmlinuxPath)));
    }

    [Fact]
    public void AMappedSpecReadsAsACopiedOne()
    {
        var mapped = KernelTypes.Vmlinux;
        var copied = ObjectFiles.Vmlinux;
        Assert.Equal(copied.TypeCount, mapped.TypeCount);
        for (int id = 1; id <= copied.TypeCount; id += 97)
        {
            Assert.Equal(copied.GetKind(id), mapped.GetKind(id));
            Assert.Equal(copied.GetTypeName(id), mapped.GetTypeName(id));
        }
    }

    [Fact]
    public void ScannedAndIndexedLookupsAgree()
    {
        var b = new BtfBuilder();
        var integer = b.Int("int", 4);
        var first = b.Struct("dup", 4, ("a", integer, 0));
        b.Add(BtfKind.Union, "dup", 0, 4);
        b.Struct("dup", 8, ("b", integer, 0));
        b.Struct("other", 4, ("c", integer, 0));
        var btf = BtfSpec.Parse(b.Build(), "lookups");
        // The first lookups of a kind scan; later ones build and use the index: every answer is the first id.
        for (int i = 0; i < 10; i++)
        {
            Assert.True(btf.TryFindByName("dup", BtfKind.Struct, out int id));
            Assert.Equal(first, id);
            Assert.False(btf.TryFindByName("dupe", BtfKind.Struct, out _));
            Assert.False(btf.TryFindByName("du", BtfKind.Struct, out _));
        }
    }
}
