using System;
using System.Buffers.Binary;
using BpfSkeleton.Elf;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Specs;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.ObjectModel;

/// <summary>
/// The open sites a 100,000-input mutation run found throwing ArgumentOutOfRange or OutOfMemory: each now refuses
/// the object with a <see cref="BpfFormatException"/> that names what is wrong (or, for a huge .bss, opens without
/// allocating it). Each input is a real test object with one header field changed.
/// </summary>
public class MalformedObjectTests
{
    private const int SectionHeaderSize = 64, SymbolSize = 24;

    [Fact]
    public void AnExecutableSectionWithNoBytesInTheFileIsRefused()
    {
        var bytes = TestObjects.Bytes("subprogs");
        var elf = ElfFile.Parse(bytes, "subprogs.bpf.o");
        WriteSectionHeader(bytes, elf, elf.FindSection("syscall")!, 4, ElfConstants.SHT_NOBITS); // sh_type

        var error = Assert.Throws<BpfFormatException>(() => BpfObjectSpec.Parse(bytes, "subprogs.bpf.o"));
        Assert.Contains("executable section", error.Message);
        Assert.Contains("holds 0 in the file", error.Message);
    }

    [Fact]
    public void AFunctionWhoseEndWrapsAroundIsRefused()
    {
        var bytes = TestObjects.Bytes("subprogs");
        var elf = ElfFile.Parse(bytes, "subprogs.bpf.o");
        var symbol = Symbol(elf, "second_program");
        // value + size wraps to 8, inside the section: the sum alone would pass.
        WriteSymbol(bytes, elf, symbol, 16, ulong.MaxValue - symbol.Value + 9);

        var error = Assert.Throws<BpfFormatException>(() => BpfObjectSpec.Parse(bytes, "subprogs.bpf.o"));
        Assert.Contains("function 'second_program'", error.Message);
        Assert.Contains("does not fit", error.Message);
    }

    [Fact]
    public void AStructOpsVariableAtAnOffsetPastTheSectionIsRefused()
    {
        var bytes = TestObjects.Bytes("dummy_ops");
        var elf = ElfFile.Parse(bytes, "dummy_ops.bpf.o");
        WriteSymbol(bytes, elf, Symbol(elf, "dummy"), 8, 0x8000_0000_0000_0000); // st_value: negative as a long

        var error = Assert.Throws<BpfFormatException>(() => BpfObjectSpec.Parse(bytes, "dummy_ops.bpf.o"));
        Assert.Contains("struct_ops variable 'dummy'", error.Message);
        Assert.Contains("lies outside the section", error.Message);
    }

    [Fact]
    public void AHugeBssOpensWithoutAllocatingIt()
    {
        var bytes = TestObjects.Bytes("globals");
        var elf = ElfFile.Parse(bytes, "globals.bpf.o");
        const ulong size = 0x7000_0000; // 1.75 GiB claimed by a file of a few KB
        WriteSectionHeader(bytes, elf, elf.FindSection(".bss")!, 32, size); // sh_size

        long before = GC.GetAllocatedBytesForCurrentThread();
        var spec = BpfObjectSpec.Parse(bytes, "globals.bpf.o");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal((uint)size, spec.FindDataSectionMap(".bss")!.ValueSize);
        Assert.True(allocated < 64 << 20, $"open allocated {allocated} bytes");
    }

    private static ElfSymbol Symbol(ElfFile elf, string name)
    {
        foreach (var symbol in elf.Symbols)
            if (symbol.Name == name) return symbol;
        throw new InvalidOperationException($"no symbol {name}");
    }

    private static void WriteSectionHeader(byte[] bytes, ElfFile elf, ElfSection section, int field, ulong value)
    {
        long header = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(40)) + (long)section.Index * SectionHeaderSize;
        if (field == 4)
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan((int)header + field), (uint)value);
        else
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan((int)header + field), value);
        GC.KeepAlive(elf);
    }

    private static void WriteSymbol(byte[] bytes, ElfFile elf, ElfSymbol symbol, int field, ulong value)
        => BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan((int)elf.SymbolTable!.Offset + symbol.Index * SymbolSize + field), value);
}
