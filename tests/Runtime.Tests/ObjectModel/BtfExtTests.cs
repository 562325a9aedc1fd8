using System;
using System.Collections.Generic;
using System.Linq;
using BpfSkeleton.Btf;
using BpfSkeleton.Elf;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.ObjectModel;

/// <summary>
/// .BTF.ext has no dump tool, so its records are checked against the ELF symbol table and the BTF:
/// every func_info is a FUNC at the offset of the same-named function symbol, line info points
/// into its section, CO-RE access strings walk real members.
/// </summary>
public class BtfExtTests
{
    public static IEnumerable<object[]> Objects() => ObjectFiles.AllAsTheory();

    [Theory]
    [MemberData(nameof(Objects))]
    public void FuncInfoNamesTheFunctionSymbols(string fileName)
    {
        var elf = ObjectFiles.Elf(ObjectFiles.PathOf(fileName));
        var btf = ObjectFiles.Btf(elf);
        var ext = ObjectFiles.BtfExt(elf, btf);

        Assert.Equal(8u, ext.FuncInfoRecordSize);
        var functionSymbols = elf.Symbols.Where(s => s.Type == ElfConstants.STT_FUNC).ToArray();
        Assert.Equal(functionSymbols.Length, ext.FuncInfos.Values.Sum(list => list.Count));
        foreach (var (sectionName, infos) in ext.FuncInfos)
        {
            var section = elf.FindSection(sectionName)!;
            Assert.True(section.IsExecutable, $"{sectionName} is not code");
            foreach (var info in infos)
            {
                var func = btf.GetType(info.TypeId);
                Assert.Equal(BtfKind.Func, func.Kind);
                Assert.Equal(BtfKind.FuncProto, btf.GetType(func.TypeId).Kind);
                Assert.Contains(functionSymbols, s => s.SectionIndex == section.Index && s.Value == info.InsnOffset && s.Name == func.Name);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Objects))]
    public void LineInfoPointsIntoItsSection(string fileName)
    {
        var elf = ObjectFiles.Elf(ObjectFiles.PathOf(fileName));
        var btf = ObjectFiles.Btf(elf);
        var ext = ObjectFiles.BtfExt(elf, btf);

        Assert.Equal(16u, ext.LineInfoRecordSize);
        Assert.Equal(ext.FuncInfos.Keys.OrderBy(k => k), ext.LineInfos.Keys.OrderBy(k => k));
        foreach (var (sectionName, lines) in ext.LineInfos)
        {
            var section = elf.FindSection(sectionName)!;
            uint previous = 0;
            foreach (var line in lines)
            {
                Assert.True(line.InsnOffset % 8 == 0 && line.InsnOffset < section.Size, $"{sectionName}: line at 0x{line.InsnOffset:x}, section size {section.Size}");
                Assert.True(line.InsnOffset >= previous, "line info is sorted by instruction");
                previous = line.InsnOffset;
                Assert.EndsWith(".c", btf.GetString(line.FileNameOffset).Replace(".h", ".c"));
                Assert.Equal(line.LineCol >> 10, line.Line);
                // Line 0 marks compiler-generated code: no source text or column then.
                if (line.Line == 0)
                    Assert.True(line.Column == 0, $"{sectionName}+0x{line.InsnOffset:x}: line 0 with a column");
                else
                    Assert.NotEmpty(btf.GetString(line.LineOffset));
            }
            // Every function starts with a real source line.
            foreach (var func in ext.FuncInfos[sectionName])
                Assert.Contains(lines, l => l.InsnOffset == func.InsnOffset && l.Line > 0);
        }
    }

    [Fact]
    public void CoreObjectHasEveryRelocationKindClang14Emits()
    {
        var elf = ObjectFiles.Elf(ObjectFiles.Named("core"));
        var btf = ObjectFiles.Btf(elf);
        var ext = ObjectFiles.BtfExt(elf, btf);

        Assert.Equal(16u, ext.CoreReloRecordSize);
        var relos = ext.CoreRelos["raw_tp/sys_enter"];
        var kinds = relos.Select(r => r.Kind).ToHashSet();
        foreach (BtfCoreReloKind kind in Enum.GetValues<BtfCoreReloKind>())
        {
            if (kind != BtfCoreReloKind.TypeMatches) // needs clang 15
                Assert.Contains(kind, kinds);
        }
        var section = elf.FindSection("raw_tp/sys_enter")!;
        foreach (var relo in relos)
        {
            Assert.True(relo.InsnOffset % 8 == 0 && relo.InsnOffset < section.Size);
            Assert.Equal(btf.GetString(relo.AccessStringOffset), relo.AccessString);
            CheckAccessString(btf, relo);
        }
        var missing = relos.Single(r => r.Kind == BtfCoreReloKind.FieldExists && MemberPath(btf, r).EndsWith("does_not_exist"));
        Assert.Equal("struct task_struct___local", btf.GetTypeName(missing.TypeId));
    }

    /// <summary>Field relos: "array index:member index:..."; type relos: "0"; enum relos: an enumerator index.</summary>
    private static void CheckAccessString(BtfSpec btf, BtfCoreRelo relo)
    {
        var indices = relo.AccessString.Split(':').Select(int.Parse).ToArray();
        switch (relo.Kind)
        {
            case BtfCoreReloKind.TypeIdLocal or BtfCoreReloKind.TypeIdTarget or BtfCoreReloKind.TypeExists
                or BtfCoreReloKind.TypeSize or BtfCoreReloKind.TypeMatches:
                Assert.Equal(new[] { 0 }, indices);
                break;
            case BtfCoreReloKind.EnumValueExists or BtfCoreReloKind.EnumValue:
                var e = btf.GetType(btf.SkipModifiersAndTypedefs(relo.TypeId));
                Assert.Equal(BtfKind.Enum, e.Kind);
                Assert.InRange(indices.Single(), 0, e.Vlen - 1);
                break;
            default:
                MemberPath(btf, relo);
                break;
        }
    }

    private static string MemberPath(BtfSpec btf, BtfCoreRelo relo)
    {
        var indices = relo.AccessString.Split(':').Select(int.Parse).ToArray();
        int id = btf.SkipModifiersAndTypedefs(relo.TypeId);
        var path = btf.GetTypeName(id);
        foreach (int index in indices.Skip(1))
        {
            var t = btf.GetType(id);
            if (t.Kind == BtfKind.Array)
            {
                id = btf.SkipModifiersAndTypedefs(t.Array.ElementTypeId);
                path += $"[{index}]";
                continue;
            }
            Assert.True(t.Kind is BtfKind.Struct or BtfKind.Union, $"{relo.AccessString}: {t} has no members");
            var member = t.GetMember(index);
            path += "." + member.Name;
            id = btf.SkipModifiersAndTypedefs(member.TypeId);
        }
        return path;
    }
}
