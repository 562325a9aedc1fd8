using System;
using System.Buffers.Binary;
using BpfSkeleton.Elf;
using BpfSkeleton.Links;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Usdt;

/// <summary>The __bpf_usdt_specs value layout comes from the object's BTF, and values are encoded where usdt.bpf.h reads them.</summary>
public class UsdtSpecLayoutTests
{
    private static UsdtSpecLayout LayoutOf(string objectName)
    {
        var spec = BpfObject.Open(TestObjects.PathOf(objectName)).Spec;
        return UsdtSpecLayout.Of(spec.FindMap("__bpf_usdt_specs")!, spec.Btf);
    }

    [Fact]
    public void InstalledHeaderHasTheClassicLayout()
    {
        var layout = LayoutOf("usdt");
        Assert.Equal((208, 0, 16, 12), (layout.Size, layout.ArgumentsOffset, layout.ArgumentStride, layout.MaxArguments));
        Assert.False(layout.SupportsScaledIndex);
        var arguments = UsdtArgumentParser.Parse("-4@-20(%rbp) 8@%rdi 1@$200", ElfConstants.EM_X86_64);
        Assert.Equal(UsdtSpecLayout.Classic.Encode(arguments, 0x1122), layout.Encode(arguments, 0x1122));
    }

    [Fact]
    public void ClassicEncoding()
    {
        var arguments = UsdtArgumentParser.Parse("-4@-20(%rbp) 8@%rdi 1@$200", ElfConstants.EM_X86_64);
        byte[] value = UsdtSpecLayout.Classic.Encode(arguments, 0x1122334455667788);
        // args[0]: val_off -20, arg_type 2 (deref), reg_off 32 (rbp), signed, bitshift 32
        Assert.Equal(-20L, BinaryPrimitives.ReadInt64LittleEndian(value));
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(value.AsSpan(8)));
        Assert.Equal(32, BinaryPrimitives.ReadInt16LittleEndian(value.AsSpan(12)));
        Assert.Equal((1, 32), (value[14], value[15]));
        // args[1]: register rdi (112), unsigned, no shift
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(value.AsSpan(16 + 8)));
        Assert.Equal(112, BinaryPrimitives.ReadInt16LittleEndian(value.AsSpan(16 + 12)));
        Assert.Equal((0, 0), (value[16 + 14], value[16 + 15]));
        // args[2]: constant 200, bitshift 56
        Assert.Equal(200L, BinaryPrimitives.ReadInt64LittleEndian(value.AsSpan(32)));
        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(value.AsSpan(32 + 8)));
        Assert.Equal(56, value[32 + 15]);
        Assert.Equal(0x1122334455667788ul, BinaryPrimitives.ReadUInt64LittleEndian(value.AsSpan(192)));
        Assert.Equal(3, BinaryPrimitives.ReadInt16LittleEndian(value.AsSpan(200)));
    }

    [Fact]
    public void Libbpf17LayoutFromBtfTakesScaledIndexArguments()
    {
        var layout = LayoutOf("usdt_layout_v17");
        Assert.True(layout.SupportsScaledIndex);
        Assert.Equal((24 * 12 + 16, 24), (layout.Size, layout.ArgumentStride));
        byte[] value = layout.Encode(UsdtArgumentParser.Parse("-1@-96(%rbp,%rax,8)", ElfConstants.EM_X86_64), 5);
        Assert.Equal(-96L, BinaryPrimitives.ReadInt64LittleEndian(value));
        Assert.Equal(3, value[8]);                                              // arg_type:8 = SIB
        ushort indexAndScale = BinaryPrimitives.ReadUInt16LittleEndian(value.AsSpan(10));
        Assert.Equal(80, indexAndScale & 0xfff);                                // idx_reg_off:12 = rax
        Assert.Equal(3, indexAndScale >> 12);                                   // scale_bitshift:4 = log2(8)
        Assert.Equal(32, BinaryPrimitives.ReadInt16LittleEndian(value.AsSpan(14))); // reg_off = rbp
        Assert.Equal((1, 56), (value[16], value[17]));
        Assert.Equal(5ul, BinaryPrimitives.ReadUInt64LittleEndian(value.AsSpan(24 * 12)));
        Assert.Equal(1, BinaryPrimitives.ReadInt16LittleEndian(value.AsSpan(24 * 12 + 8)));
    }

    [Fact]
    public void ScaledIndexNeedsANewEnoughHeader()
    {
        var arguments = UsdtArgumentParser.Parse("1@(%rbp,%rax,8)", ElfConstants.EM_X86_64);
        Assert.Contains("libbpf 1.7", Assert.Throws<InvalidOperationException>(() => UsdtSpecLayout.Classic.Encode(arguments, 0)).Message);
    }
}
