using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using BpfSkeleton.Btf;
using BpfSkeleton.Specs;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.ObjectModel;

/// <summary>
/// map_types.bpf.o's <c>__arena</c> global at open: its variable, the relocation that refers to it, and the
/// one arena map it needs (map types are patched in the BTF to take the arena away or add a second).
/// </summary>
public class ArenaGlobalsSpecTests
{
    [Fact]
    public void TheGlobalAndItsRelocationPointAtTheArenaMap()
    {
        var spec = BpfObjectSpec.Parse(File.ReadAllBytes(ObjectFiles.Named("map_types")), "map_types.bpf.o");
        var globals = spec.ArenaGlobals!;
        Assert.Equal(DataSectionKind.Arena, globals.Kind);
        Assert.Equal(".addr_space.1", globals.SectionName);
        var counter = Assert.Single(globals.Variables);
        Assert.Equal(("arena_counter", 8), (counter.Name, counter.Size));
        Assert.Equal(7ul, BitConverter.ToUInt64(globals.VariableBytes(counter)));
        Assert.Equal("arena", spec.ArenaMap!.Name);
        Assert.DoesNotContain(spec.DataSections, d => d.Kind == DataSectionKind.Arena); // no map of its own

        var relocations = spec.FindProgram("arena_global")!.Relocations.Where(r => r.Kind == RelocationKind.ArenaReference).ToList();
        Assert.Equal(2, relocations.Count); // the cast's operand and the stored address
        Assert.All(relocations, r => Assert.Equal(("arena", (long)counter.Offset), (r.TargetName, r.TargetOffset)));
    }

    [Fact]
    public void WithoutAnArenaMapTheGlobalsAreRefused()
    {
        var data = WithMapType("arena", BpfMapType.Array);
        var e = Assert.Throws<BpfFormatException>(() => BpfObjectSpec.Parse(data, "map_types.bpf.o"));
        Assert.Equal(".addr_space.1", e.Section);
        Assert.Contains("need an arena map", e.Problem);
    }

    [Fact]
    public void WithTwoArenaMapsTheGlobalsAreRefused()
    {
        var data = WithMapType("bloom_ulong", BpfMapType.Arena);
        var e = Assert.Throws<BpfFormatException>(() => BpfObjectSpec.Parse(data, "map_types.bpf.o"));
        Assert.Contains("exactly one arena map", e.Problem);
    }

    /// <summary>The object with <paramref name="map"/>'s <c>__uint(type, …)</c> array length changed to <paramref name="type"/>.</summary>
    private static byte[] WithMapType(string map, BpfMapType type)
    {
        var data = File.ReadAllBytes(ObjectFiles.Named("map_types"));
        var elf = ObjectFiles.Elf(ObjectFiles.Named("map_types"));
        var btf = ObjectFiles.Btf(elf);
        Assert.True(btf.TryFindByName(map, BtfKind.Var, out int variable));
        var definition = btf.GetType(btf.SkipModifiersAndTypedefs(btf.GetType(variable).TypeId));
        var member = Enumerable.Range(0, definition.Vlen).Select(definition.GetMember).Single(m => m.Name == "type");
        var array = btf.GetType(btf.GetType(member.TypeId).TypeId); // __uint: a pointer to an array of `type` ints
        Assert.Equal(BtfKind.Array, array.Kind);
        int nelems = (int)elf.FindSection(".BTF")!.Offset + array.RecordOffset + 12 + 8;
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(nelems), (uint)type);
        return data;
    }
}
