using System.IO;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Loading;

/// <summary>Objects with legacy <c>SEC("maps")</c> definitions load: the kernel holds the maps as defined, pins included.</summary>
[Collection("Kernel")]
public class LegacyMapsLoadTests
{
    [KernelFact(BpfProgramType.SocketFilter)]
    public void BpfMapDefMapsAreCreatedAsDefined()
    {
        using var obj = TestObjects.Load("legacy_maps");
        var counts = obj.Map("legacy_counts").Map.GetInfo();
        Assert.Equal((BpfMapType.Hash, 4u, 8u, 64u, 1u), (counts.Type, counts.KeySize, counts.ValueSize, counts.MaxEntries, (uint)counts.Flags));
        var table = obj.Map("legacy_table").Map.GetInfo();
        Assert.Equal((BpfMapType.Array, 4u, 16u, 4u), (table.Type, table.KeySize, table.ValueSize, table.MaxEntries));
        Assert.True(obj.Program("count_packets").IsLoaded);
    }

    [KernelFact(BpfProgramType.SocketFilter)]
    public void ABpfElfMapWithGlobalPinningIsPinnedByName()
    {
        using var pins = new TempPinDirectory();
        uint pinnedId;
        using (var obj = BpfObject.Open(TestObjects.PathOf("legacy_elf_maps"), new BpfOpenOptions { PinRoot = pins.Path }))
        {
            obj.Load();
            Assert.True(File.Exists(Path.Combine(pins.Path, "tc_pinned")));
            Assert.False(File.Exists(Path.Combine(pins.Path, "tc_private")));
            Assert.Equal(BpfMapType.PerCpuArray, obj.Map("tc_private").Map.GetInfo().Type);
            pinnedId = obj.Map("tc_pinned").Map.GetInfo().Id;
        }
        // A second object takes the pinned map over, as tc does with PIN_GLOBAL_NS.
        using var again = BpfObject.Open(TestObjects.PathOf("legacy_elf_maps"), new BpfOpenOptions { PinRoot = pins.Path });
        again.Load();
        Assert.Equal(pinnedId, again.Map("tc_pinned").Map.GetInfo().Id);
    }
}
