using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using BpfSkeleton.Btf;
using BpfSkeleton.Elf;
using BpfSkeleton.Specs;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.ObjectModel;

/// <summary>
/// map_extra declared with <c>__ulong</c>: a one-value enum whose value is the attribute. map_types'
/// bloom_ulong has <c>__ulong(map_extra, 5)</c>; its enum record is patched in place for the other cases.
/// </summary>
public class MapDefinitionTests
{
    [Fact]
    public void UlongIsTheEnumsValue() => Assert.Equal(5ul, BloomFilter(UlongObject().Data).MapExtra);

    [Fact]
    public void SignedEnumIsSignExtendedAndUnsignedIsNot()
    {
        var (data, record) = UlongObject();
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(record + 16), unchecked((uint)-5));
        Assert.Equal(0xffff_fffbul, BloomFilter(data).MapExtra);

        uint info = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(record + 4));
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(record + 4), info | 1u << 31); // kind_flag: signed
        Assert.Equal(unchecked((ulong)-5L), BloomFilter(data).MapExtra);
    }

    [Fact]
    public void EightByteEnumFromACompilerWithoutEnum64IsRefused()
    {
        var (data, record) = UlongObject();
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(record + 8), 8); // what clang 14 writes for a 64-bit value
        var e = Assert.Throws<BpfFormatException>(() => BloomFilter(data));
        Assert.Contains("bloom_ulong", e.Problem);
        Assert.Contains("clang 15", e.Problem);
    }

    private static MapSpec BloomFilter(byte[] data)
        => BpfObjectSpec.Parse(data, "map_types.bpf.o").Maps.Single(m => m.Name == "bloom_ulong");

    /// <summary>The object's bytes and the file position of bloom_ulong's map_extra enum record.</summary>
    private static (byte[] Data, int Record) UlongObject()
    {
        var data = File.ReadAllBytes(ObjectFiles.Named("map_types"));
        var elf = ObjectFiles.Elf(ObjectFiles.Named("map_types"));
        var btf = ObjectFiles.Btf(elf);
        Assert.True(btf.TryFindByName("bloom_ulong", BtfKind.Var, out int variable));
        var definition = btf.GetType(btf.SkipModifiersAndTypedefs(btf.GetType(variable).TypeId));
        var member = Enumerable.Range(0, definition.Vlen).Select(definition.GetMember).Single(m => m.Name == "map_extra");
        var enumType = btf.GetType(btf.SkipModifiersAndTypedefs(member.TypeId));
        Assert.Equal(BtfKind.Enum, enumType.Kind);
        return (data, (int)elf.FindSection(".BTF")!.Offset + enumType.RecordOffset);
    }
}
