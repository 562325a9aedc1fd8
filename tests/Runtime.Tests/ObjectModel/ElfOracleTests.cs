using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using BpfSkeleton.Elf;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.ObjectModel;

/// <summary>Section, symbol and relocation listings agree with llvm-readelf-14 for every test object.</summary>
public class ElfOracleTests
{
    public static IEnumerable<object[]> Objects() => ObjectFiles.AllAsTheory();

    [Theory]
    [MemberData(nameof(Objects))]
    public void SectionsMatchReadelf(string fileName)
    {
        var path = ObjectFiles.PathOf(fileName);
        var elf = ObjectFiles.Elf(path);
        var expected = ExternalTool.ReadelfJson(path, "-S").GetProperty("Sections").EnumerateArray().Select(e => e.GetProperty("Section")).ToArray();

        Assert.True(elf.IsLittleEndian);
        Assert.Equal(ElfConstants.EM_BPF, elf.Machine);
        Assert.Equal(ElfConstants.ET_REL, elf.Type);
        Assert.Equal(expected.Length, elf.Sections.Count);
        foreach (var s in expected)
        {
            var actual = elf.Sections[s.GetProperty("Index").GetInt32()];
            Assert.Equal(s.GetProperty("Name").GetProperty("Value").GetString(), actual.Name);
            Assert.Equal(s.GetProperty("Type").GetProperty("RawValue").GetUInt32(), actual.Type);
            Assert.Equal(s.GetProperty("Flags").GetProperty("RawFlags").GetUInt64(), actual.Flags);
            Assert.Equal(s.GetProperty("Offset").GetUInt64(), actual.Offset);
            Assert.Equal(s.GetProperty("Size").GetUInt64(), actual.Size);
            Assert.Equal(s.GetProperty("Link").GetUInt32(), actual.Link);
            Assert.Equal(s.GetProperty("Info").GetUInt32(), actual.Info);
            Assert.Equal(s.GetProperty("AddressAlignment").GetUInt64(), actual.Alignment);
            Assert.Equal(s.GetProperty("EntrySize").GetUInt64(), actual.EntrySize);
            Assert.Equal(actual.IsNoBits || actual.Type == ElfConstants.SHT_NULL ? 0 : (int)actual.Size, actual.Data.Length);
        }
        Assert.Same(elf.Sections.First(s => s.Name == ".BTF"), elf.FindSection(".BTF"));
        Assert.Null(elf.FindSection(".no.such.section"));
    }

    [Theory]
    [MemberData(nameof(Objects))]
    public void SymbolsMatchReadelf(string fileName)
    {
        var path = ObjectFiles.PathOf(fileName);
        var elf = ObjectFiles.Elf(path);
        var expected = ExternalTool.ReadelfJson(path, "-s").GetProperty("Symbols").EnumerateArray().Select(e => e.GetProperty("Symbol")).ToArray();

        Assert.Equal(expected.Length, elf.Symbols.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            var s = expected[i];
            var actual = elf.Symbols[i];
            Assert.Equal(i, actual.Index);
            var name = s.GetProperty("Name");
            // readelf shows section symbols by their section's name; the stored name is empty.
            Assert.Equal(name.GetProperty("RawValue").GetUInt32() == 0 ? "" : name.GetProperty("Value").GetString(), actual.Name);
            Assert.Equal(s.GetProperty("Value").GetUInt64(), actual.Value);
            Assert.Equal(s.GetProperty("Size").GetUInt64(), actual.Size);
            Assert.Equal(s.GetProperty("Binding").GetProperty("RawValue").GetByte(), actual.Bind);
            Assert.Equal(s.GetProperty("Type").GetProperty("RawValue").GetByte(), actual.Type);
            // st_other is a plain number, or an object of flags when a visibility is set (e.g. STV_HIDDEN).
            var other = s.GetProperty("Other");
            Assert.Equal((other.ValueKind == JsonValueKind.Object ? other.GetProperty("RawFlags").GetByte() : other.GetByte()) & 3, actual.Visibility);
            Assert.Equal(s.GetProperty("Section").GetProperty("RawValue").GetUInt32(), actual.SectionIndex);
        }
    }

    [Theory]
    [MemberData(nameof(Objects))]
    public void RelocationsMatchReadelf(string fileName)
    {
        var path = ObjectFiles.PathOf(fileName);
        var elf = ObjectFiles.Elf(path);
        // llvm-readelf-14's JSON relocation output is malformed, so read the GNU text form.
        var expected = ParseGnuRelocations(ExternalTool.Run("llvm-readelf-14", "-r", path));
        var relSections = elf.Sections.Where(s => s.Type == ElfConstants.SHT_REL).ToArray();

        Assert.Equal(expected.Keys.OrderBy(k => k, StringComparer.Ordinal), relSections.Select(s => s.Name).OrderBy(k => k, StringComparer.Ordinal));
        foreach (var rel in relSections)
        {
            var actual = elf.GetRelocations(rel);
            var rows = expected[rel.Name];
            Assert.Equal(rows.Count, actual.Count);
            for (int i = 0; i < rows.Count; i++)
            {
                Assert.Equal(rows[i].Offset, actual[i].Offset);
                Assert.Equal((int)(rows[i].Info >> 32), actual[i].SymbolIndex);
                Assert.Equal((uint)rows[i].Info, actual[i].Type);
            }
            var target = elf.Sections[(int)rel.Info];
            Assert.Same(rel, elf.GetRelocationSectionFor(target));
        }
    }

    [Fact]
    public void ProgramSectionsHaveBpfRelocations()
    {
        var elf = ObjectFiles.Elf(ObjectFiles.Named("globals"));
        var program = elf.FindSection("syscall")!;
        Assert.True(program.IsExecutable && program.IsAlloc && !program.IsWritable);
        var relocations = elf.GetRelocations(elf.GetRelocationSectionFor(program)!);
        Assert.Contains(relocations, r => r.Type == ElfConstants.R_BPF_64_64 && elf.Symbols[r.SymbolIndex].Name == "points");
        Assert.Contains(relocations, r => r.Type == ElfConstants.R_BPF_64_32 && elf.Symbols[r.SymbolIndex].Type == ElfConstants.STT_SECTION); // call into .text
        var bss = elf.FindSection(".bss")!;
        Assert.True(bss.IsNoBits && bss.IsWritable && bss.Data.IsEmpty && bss.Size > 0);
        Assert.Null(elf.GetRelocationSectionFor(bss));
    }

    private static Dictionary<string, List<(ulong Offset, ulong Info)>> ParseGnuRelocations(string text)
    {
        var result = new Dictionary<string, List<(ulong, ulong)>>();
        List<(ulong, ulong)>? current = null;
        var header = new Regex(@"^Relocation section '(?<name>.*)' at offset");
        var row = new Regex(@"^(?<offset>[0-9a-f]{16})\s+(?<info>[0-9a-f]{16})\s");
        foreach (var line in text.Split('\n'))
        {
            var h = header.Match(line);
            if (h.Success)
            {
                current = new List<(ulong, ulong)>();
                result[h.Groups["name"].Value] = current;
                continue;
            }
            var r = row.Match(line);
            if (r.Success && current is not null)
                current.Add((ulong.Parse(r.Groups["offset"].Value, NumberStyles.HexNumber), ulong.Parse(r.Groups["info"].Value, NumberStyles.HexNumber)));
        }
        return result;
    }
}
