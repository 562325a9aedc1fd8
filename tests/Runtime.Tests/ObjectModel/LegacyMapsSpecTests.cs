using System;
using System.Linq;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Specs;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.ObjectModel;

/// <summary>
/// Legacy <c>SEC("maps")</c> definitions open as maps (they were silently ignored, and the program's reference
/// to them refused): libbpf 0.x's <c>struct bpf_map_def</c> and iproute2's <c>struct bpf_elf_map</c> with pinning.
/// </summary>
public class LegacyMapsSpecTests
{
    [Fact]
    public void BpfMapDefDefinitionsBecomeMapsTheProgramReferences()
    {
        var spec = BpfObjectSpec.Parse(TestObjects.Bytes("legacy_maps"), "legacy_maps.bpf.o");

        var counts = spec.FindMap("legacy_counts")!;
        Assert.Equal((MapOrigin.Legacy, BpfMapType.Hash, 4u, 8u, 64u, 1u), (counts.Origin, counts.Type, counts.KeySize, counts.ValueSize, counts.MaxEntries, counts.Flags));
        var table = spec.FindMap("legacy_table")!;
        Assert.Equal((BpfMapType.Array, 4u, 16u, 4u, 0u), (table.Type, table.KeySize, table.ValueSize, table.MaxEntries, table.Flags));
        Assert.Equal((0, 0), (counts.KeyTypeId, counts.ValueTypeId)); // sizes only: a legacy definition names no BTF types
        Assert.Equal(MapPinning.None, counts.Pinning);

        var references = spec.Programs.Single(p => p.Name == "count_packets").Relocations
            .Where(r => r.Kind == RelocationKind.MapReference).Select(r => r.TargetName).Distinct().OrderBy(n => n);
        Assert.Equal(new[] { "legacy_counts", "legacy_table" }, references);
    }

    /// <summary>A legacy definition cannot describe an inner map: refused naming the map and the way to declare it.</summary>
    [Fact]
    public void ALegacyMapInMapIsRefusedWithTheFix()
    {
        var bytes = TestObjects.Bytes("legacy_maps");
        var elf = BpfSkeleton.Elf.ElfFile.Parse(bytes, "legacy_maps.bpf.o");
        var maps = elf.FindSection("maps")!;
        var counts = elf.Symbols.Single(s => s.Name == "legacy_counts");
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan((int)(maps.Offset + counts.Value)), (uint)BpfMapType.HashOfMaps);

        var error = Assert.Throws<BpfFormatException>(() => BpfObjectSpec.Parse(bytes, "legacy_maps.bpf.o"));
        Assert.Contains("legacy map 'legacy_counts' is a HashOfMaps", error.Message);
        Assert.Contains("declare it in .maps", error.Message);
    }

    [Fact]
    public void BpfElfMapDefinitionsKeepTheirPinning()
    {
        var spec = BpfObjectSpec.Parse(TestObjects.Bytes("legacy_elf_maps"), "legacy_elf_maps.bpf.o");

        var pinned = spec.FindMap("tc_pinned")!;
        Assert.Equal((MapOrigin.Legacy, BpfMapType.Array, 4u, 8u, 8u, MapPinning.ByName),
            (pinned.Origin, pinned.Type, pinned.KeySize, pinned.ValueSize, pinned.MaxEntries, pinned.Pinning));
        var @private = spec.FindMap("tc_private")!;
        Assert.Equal((BpfMapType.PerCpuArray, 4u, 4u, 2u, MapPinning.None), (@private.Type, @private.KeySize, @private.ValueSize, @private.MaxEntries, @private.Pinning));
    }
}
