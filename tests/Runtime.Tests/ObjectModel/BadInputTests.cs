using System;
using System.Buffers.Binary;
using System.IO;
using BpfSkeleton.Btf;
using BpfSkeleton.Elf;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.ObjectModel;

/// <summary>Malformed ELF, BTF and BTF.ext are reported as <see cref="BpfFormatException"/> naming where.</summary>
public class BadInputTests
{
    private static byte[] Globals() => File.ReadAllBytes(ObjectFiles.Named("globals"));

    private static BpfFormatException ElfFails(byte[] data)
    {
        var e = Assert.Throws<BpfFormatException>(() =>
        {
            var elf = ElfFile.Parse(data, "bad.o");
            foreach (var section in elf.Sections)
            {
                if (section.Type == ElfConstants.SHT_REL)
                    elf.GetRelocations(section);
            }
        });
        Assert.Equal("bad.o", e.FileName);
        return e;
    }

    private static int SectionHeader(byte[] elf, int index)
        => (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(40)) + index * 64;

    /// <summary>An extern function without __ksym is no kfunc: refused at open naming it (the kernel would say only "Invalid func linkage").</summary>
    [Fact]
    public void AnExternFunctionOutsideKsymsIsRefusedAtOpenByName()
    {
        var e = Assert.Throws<BpfFormatException>(() => BpfObject.Open(ObjectFiles.Named("extern_not_ksym")));
        Assert.Contains("'not_a_kfunc'", e.Message);
        Assert.Contains("__ksym", e.Message);
        Assert.Equal(".symtab", e.Section);
    }

    /// <summary>A prog-array slot that names a .text function (no program) is refused at open, naming map, slot and function.</summary>
    [Fact]
    public void ASlotThatNamesNoProgramIsRefusedAtOpen()
    {
        var e = Assert.Throws<BpfFormatException>(() => BpfObject.Open(ObjectFiles.Named("slot_not_program")));
        Assert.Contains("map 'table': slot 0 holds 'not_a_program'", e.Message);
        Assert.Contains("not a program of this object", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(63)]
    public void TruncatedHeader(int length) => Assert.Contains("shorter", ElfFails(Globals()[..length]).Problem);

    [Fact]
    public void TruncatedSectionTable()
    {
        var data = Globals();
        Assert.Contains("past the end", ElfFails(data[..(data.Length - 10)]).Problem);
    }

    [Fact]
    public void WrongMagicClassEncodingAndMachine()
    {
        var data = Globals();
        data[0] = 0x7e;
        Assert.Contains("magic", ElfFails(data).Problem);

        data = Globals();
        data[4] = 1; // ELFCLASS32
        Assert.Contains("ELFCLASS64", ElfFails(data).Problem);

        data = Globals();
        data[5] = 3;
        Assert.Contains("encoding", ElfFails(data).Problem);

        data = Globals();
        data[5] = 2; // claims big-endian: every field now reads wrong
        ElfFails(data);

        data = Globals();
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(18), 62); // EM_X86_64
        var e = ElfFails(data);
        Assert.Contains("EM_BPF", e.Problem);
        Assert.Equal(18, e.Offset);
        Assert.Null(e.Section);
    }

    [Fact]
    public void SectionOutsideTheFile()
    {
        var data = Globals();
        var elf = ElfFile.Parse(Globals(), "ok.o");
        int btf = elf.FindSection(".BTF")!.Index;
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(SectionHeader(data, btf) + 24), (ulong)data.Length - 4);
        var e = ElfFails(data);
        Assert.Equal($"section {btf}", e.Section);
        Assert.Contains("outside", e.Problem);

        data = Globals();
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(SectionHeader(data, btf) + 32), ulong.MaxValue);
        ElfFails(data);
    }

    [Fact]
    public void BadNameTableAndNames()
    {
        var data = Globals();
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(62), 999);
        ElfFails(data);

        data = Globals();
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(SectionHeader(data, 2)), 0x7fffffff);
        Assert.Contains("name offset", ElfFails(data).Problem);
    }

    [Fact]
    public void BadSymbolTable()
    {
        var elf = ElfFile.Parse(Globals(), "ok.o");
        int symtab = elf.SymbolTable!.Index;

        var data = Globals();
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(SectionHeader(data, symtab) + 56), 16);
        Assert.Contains("entry size", ElfFails(data).Problem);

        data = Globals();
        int firstSymbol = (int)elf.SymbolTable.Offset + 24;
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(firstSymbol), 0xffffff);
        Assert.Equal(elf.Sections[(int)elf.SymbolTable.Link].Name, ElfFails(data).Section);

        data = Globals();
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(firstSymbol + 6), 0x7000);
        Assert.Contains("refers to section", ElfFails(data).Problem);
    }

    [Fact]
    public void BadRelocations()
    {
        var elf = ElfFile.Parse(Globals(), "ok.o");
        var rel = elf.GetRelocationSectionFor(elf.FindSection("syscall")!)!;

        var data = Globals();
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan((int)rel.Offset + 12), 100000); // symbol index
        var e = ElfFails(data);
        Assert.Equal(rel.Name, e.Section);
        Assert.Contains("symbol", e.Problem);

        data = Globals();
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(SectionHeader(data, rel.Index) + 32), rel.Size - 4);
        Assert.Contains("multiple", ElfFails(data).Problem);

        var ok = ElfFile.Parse(Globals(), "ok.o");
        Assert.Throws<BpfFormatException>(() => ok.GetRelocations(ok.FindSection(".BTF")!));
    }

    // ---- BTF ----

    private static BpfFormatException BtfFails(byte[] data, BtfSpec? baseSpec = null)
    {
        var e = Assert.Throws<BpfFormatException>(() =>
        {
            var spec = BtfSpec.Parse(data, "bad.btf", baseSpec);
            for (int id = spec.FirstTypeId; id <= spec.TypeCount; id++)
            {
                var t = spec.GetType(id);
                _ = t.Name;
                spec.ResolveSize(id);
            }
        });
        Assert.Equal(".BTF", e.Section);
        return e;
    }

    private static byte[] SmallBtf(bool little = true)
    {
        var b = new BtfBuilder(little);
        int i = b.Int("int", 4, BtfIntFlags.Signed);
        b.Struct("pair", 8, ("a", i, 0), ("b", i, 32));
        return b.Build();
    }

    [Fact]
    public void BtfHeaderProblems()
    {
        Assert.Contains("shorter", BtfFails(SmallBtf()[..20]).Problem);
        var data = SmallBtf();
        data[0] = 0;
        Assert.Contains("magic", BtfFails(data).Problem);
        data = SmallBtf();
        data[2] = 2;
        Assert.Contains("version", BtfFails(data).Problem);
        data = SmallBtf();
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(4), 100000);
        Assert.Contains("header length", BtfFails(data).Problem);
        data = SmallBtf();
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(12), 100000); // type_len
        Assert.Contains("type section", BtfFails(data).Problem);
        data = SmallBtf();
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(16), uint.MaxValue); // str_off
        Assert.Contains("string section", BtfFails(data).Problem);
        data = SmallBtf();
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(8), 2); // misaligned type_off
        Assert.Contains("aligned", BtfFails(data).Problem);
    }

    [Fact]
    public void BtfStringSectionProblems()
    {
        var data = SmallBtf();
        data[^1] = (byte)'x';
        Assert.Contains("NUL", BtfFails(data).Problem);
        data = SmallBtf();
        int strings = 24 + (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(16));
        data[strings] = (byte)'x';
        Assert.Contains("empty string", BtfFails(data).Problem);

        var b = new BtfBuilder();
        b.AddRaw(5000, (uint)BtfKind.Int << 24, 4, 32);
        var e = BtfFails(b.Build());
        Assert.Contains("string offset 5000", e.Problem);
    }

    [Fact]
    public void BtfTypeSectionProblems()
    {
        var b = new BtfBuilder();
        b.AddRaw(0, 20u << 24, 0);
        Assert.Contains("unknown kind 20", BtfFails(b.Build()).Problem);

        b = new BtfBuilder();
        b.AddRaw(0, ((uint)BtfKind.Struct << 24) | 1000, 8); // 1000 members that are not there
        Assert.Contains("runs past", BtfFails(b.Build()).Problem);

        b = new BtfBuilder();
        b.Int("int", 4);
        var data = b.Build();
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(12), 14); // cut the INT's tail
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(16), 16);
        BtfFails(data);
    }

    [Fact]
    public void BtfBadTypeIdsAndCycles()
    {
        var b = new BtfBuilder();
        int ptr = b.Pointer(999);
        var spec = BtfSpec.Parse(b.Build(), "ids.btf");
        Assert.Equal(8, spec.ResolveSize(ptr));
        Assert.Throws<BpfFormatException>(() => spec.GetTypeName(ptr));
        Assert.Throws<BpfFormatException>(() => spec.GetType(999));

        b = new BtfBuilder();
        b.Add(BtfKind.Typedef, "a", 0, 2);
        b.Add(BtfKind.Const, null, 0, 1);
        b.Add(BtfKind.Pointer, null, 0, 3); // pointer to itself
        b.Add(BtfKind.Volatile, null, 0, 4); // modifier of itself
        spec = BtfSpec.Parse(b.Build(), "cycle.btf");
        Assert.Contains("cycle", Assert.Throws<BpfFormatException>(() => spec.SkipModifiersAndTypedefs(1)).Problem);
        Assert.Equal(1, spec.SkipModifiers(2)); // stops at the typedef
        Assert.Throws<BpfFormatException>(() => spec.SkipModifiers(4));
        Assert.Throws<BpfFormatException>(() => spec.ResolveSize(1));
        Assert.Throws<BpfFormatException>(() => spec.ResolveAlignment(1));
        Assert.Throws<BpfFormatException>(() => spec.GetTypeName(4));
        Assert.Throws<BpfFormatException>(() => spec.GetTypeName(3));

        b = new BtfBuilder();
        b.Struct("self", 8, ("me", 1, 0)); // contains itself by value
        spec = BtfSpec.Parse(b.Build(), "self.btf");
        Assert.Equal(8, spec.ResolveSize(1));
        Assert.Throws<BpfFormatException>(() => spec.ResolveAlignment(1));

        b = new BtfBuilder();
        int i = b.Int("int", 4);
        int inner = b.Add(BtfKind.Array, null, 0, 0, false, (uint)i, (uint)i, 0x80000000);
        int outer = b.Add(BtfKind.Array, null, 0, 0, false, (uint)inner, (uint)i, 0x80000000);
        spec = BtfSpec.Parse(b.Build(), "huge.btf");
        Assert.Contains("overflows", Assert.Throws<BpfFormatException>(() => spec.ResolveSize(outer)).Problem);
        Assert.Throws<BpfFormatException>(() => spec.ResolveSize(inner)); // 2^31 * 4 > 4 GiB

        // Prototypes whose parameters point back at themselves: exponential without a budget.
        b = new BtfBuilder();
        b.Add(BtfKind.FuncProto, null, 3, 2, false, 0, 2, 0, 2, 0, 2);
        b.Pointer(1);
        spec = BtfSpec.Parse(b.Build(), "proto.btf");
        Assert.Throws<BpfFormatException>(() => spec.GetTypeName(1));
    }

    [Fact]
    public void EnumSignednessFollowsKindFlag()
    {
        var b = new BtfBuilder();
        uint minusOne = b.String("MINUS_ONE");
        int signedEnum = b.Add(BtfKind.Enum, "s", 1, 4, true, minusOne, 0xffffffff);
        int unsignedEnum = b.Add(BtfKind.Enum, "u", 1, 4, false, minusOne, 0xffffffff);
        int enum64 = b.Add(BtfKind.Enum64, "e64", 1, 8, false, minusOne, 0xffffffff, 0xffffffff);
        int signed64 = b.Add(BtfKind.Enum64, "s64", 1, 8, true, minusOne, 0xfffffffe, 0xffffffff);
        var spec = BtfSpec.Parse(b.Build(), "enums.btf");
        Assert.Equal(-1, spec.GetType(signedEnum).GetEnumValue(0).Value);
        Assert.Equal(0xffffffffL, spec.GetType(unsignedEnum).GetEnumValue(0).Value);
        Assert.Equal(ulong.MaxValue, spec.GetType(enum64).GetEnumValue(0).UnsignedValue);
        Assert.Equal(-2, spec.GetType(signed64).GetEnumValue(0).Value);
        Assert.True(spec.GetType(signed64).IsSigned);
        Assert.Equal("MINUS_ONE", spec.GetType(enum64).GetEnumValue(0).Name);
        Assert.Equal(8, spec.ResolveAlignment(enum64));
    }

    [Fact]
    public void HandBuiltBigEndianBtfDecodes()
    {
        var spec = BtfSpec.Parse(SmallBtf(little: false), "be.btf");
        Assert.False(spec.IsLittleEndian);
        Assert.Equal("struct pair", spec.GetTypeName(2));
        Assert.Equal(32u, spec.GetType(2).GetMember(1).BitOffset);
        Assert.Equal(8, spec.ResolveSize(2));
        Assert.True(spec.GetType(1).IsSigned);
    }

    // ---- BTF.ext ----

    /// <summary>A .BTF.ext with one func_info block (given record size) and one CO-RE relo of <paramref name="coreKind"/>.</summary>
    private static (byte[] Ext, BtfSpec Btf) HandMadeExt(uint funcRecordSize = 8, uint coreKind = 12, uint funcCount = 1, uint sectionName = 0)
    {
        var b = new BtfBuilder();
        int i = b.Int("int", 4, BtfIntFlags.Signed);
        int proto = b.Add(BtfKind.FuncProto, null, 0, (uint)i);
        int func = b.Add(BtfKind.Func, "prog", (int)BtfFuncLinkage.Global, (uint)proto);
        uint section = b.String("xdp");
        uint access = b.String("0");
        var btf = BtfSpec.Parse(b.Build(), "ext.btf");

        var words = new System.Collections.Generic.List<uint>();
        void Header() => words.AddRange(new uint[] { 0x0001eb9f, 32, 0, 0, 0, 0, 0, 0 });
        Header();
        int funcStart = words.Count;
        words.Add(funcRecordSize);
        words.AddRange(new[] { sectionName == 0 ? section : sectionName, funcCount });
        for (int r = 0; r < funcCount; r++)
        {
            words.Add(0); // insn_off
            words.Add((uint)func);
            for (int extra = 8; extra < funcRecordSize; extra += 4)
                words.Add(0xdeadbeef); // fields from a newer format: skipped
        }
        int coreStart = words.Count;
        words.AddRange(new uint[] { 16, section, 1, 8, (uint)i, access, coreKind });
        words[2] = 0;                                             // func_info_off
        words[3] = (uint)(coreStart - funcStart) * 4;             // func_info_len
        words[6] = (uint)(coreStart - 8) * 4;                     // core_relo_off
        words[7] = (uint)(words.Count - coreStart) * 4;           // core_relo_len
        var ext = new byte[words.Count * 4];
        for (int w = 0; w < words.Count; w++)
            BinaryPrimitives.WriteUInt32LittleEndian(ext.AsSpan(w * 4), words[w]);
        return (ext, btf);
    }

    [Fact]
    public void ExtHonoursLargerRecordsAndDecodesTypeMatches()
    {
        var (ext, btf) = HandMadeExt(funcRecordSize: 16, funcCount: 2);
        var parsed = BtfExt.Parse(ext, btf, "ext.o");
        Assert.Equal(16u, parsed.FuncInfoRecordSize);
        Assert.Equal(2, parsed.FuncInfos["xdp"].Count);
        Assert.All(parsed.FuncInfos["xdp"], f => Assert.Equal(3, f.TypeId));
        var relo = Assert.Single(parsed.CoreRelos["xdp"]);
        Assert.Equal(BtfCoreReloKind.TypeMatches, relo.Kind);
        Assert.Equal("0", relo.AccessString);
        Assert.Equal(8u, relo.InsnOffset);
        Assert.Empty(parsed.LineInfos);
    }

    [Fact]
    public void ExtProblems()
    {
        static BpfFormatException Fails(byte[] ext, BtfSpec btf)
        {
            var e = Assert.Throws<BpfFormatException>(() => BtfExt.Parse(ext, btf, "ext.o"));
            Assert.Equal(".BTF.ext", e.Section);
            return e;
        }

        var (ext, btf) = HandMadeExt(funcRecordSize: 4);
        Assert.Contains("record size", Fails(ext, btf).Problem);
        (ext, btf) = HandMadeExt(funcRecordSize: 10);
        Assert.Contains("record size", Fails(ext, btf).Problem);
        (ext, btf) = HandMadeExt(funcCount: 0);
        Assert.Contains("no records", Fails(ext, btf).Problem);
        (ext, btf) = HandMadeExt(sectionName: 5000);
        Assert.Contains("string offset", Fails(ext, btf).Problem);

        (ext, btf) = HandMadeExt();
        BinaryPrimitives.WriteUInt32LittleEndian(ext.AsSpan(32 + 8), 0x40000000); // num_info
        Assert.Contains("runs past", Fails(ext, btf).Problem);
        (ext, btf) = HandMadeExt();
        BinaryPrimitives.WriteUInt32LittleEndian(ext.AsSpan(12), 100000); // func_info_len
        Assert.Contains("past the end", Fails(ext, btf).Problem);
        (ext, btf) = HandMadeExt();
        BinaryPrimitives.WriteUInt32LittleEndian(ext.AsSpan(8), 2); // func_info_off
        Assert.Contains("aligned", Fails(ext, btf).Problem);
        (ext, btf) = HandMadeExt();
        Assert.Contains("shorter", Fails(ext[..20], btf).Problem);
        (ext, btf) = HandMadeExt();
        BinaryPrimitives.WriteUInt32LittleEndian(ext.AsSpan(4), 10000);
        Assert.Contains("header length", Fails(ext, btf).Problem);
    }
}
