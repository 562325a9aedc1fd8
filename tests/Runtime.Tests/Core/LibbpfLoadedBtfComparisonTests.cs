using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using BpfSkeleton.Runtime.Tests.ObjectModel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Core;

/// <summary>
/// What the kernel holds after a load, ours against Debian's bpftool (libbpf 1.1: `bpftool prog
/// loadall`), read back with bpftool. Both start from the same object, so every difference is a
/// choice one loader makes and the other does not: DATASEC sizes and offsets taken from the ELF
/// symbols, hidden globals made static, internal map names, sizes and flags.
/// </summary>
[Collection("Kernel")]
public class LibbpfLoadedBtfComparisonTests
{
    /// <summary>The object BTF, type by type, as `bpftool btf dump id` prints it.</summary>
    [KernelTheory(BpfMapType.Ringbuf, BpfMapType.UserRingbuf, BpfMapType.PerCpuArray, BpfMapType.ProgArray, BpfMapType.ArrayOfMaps, BpfMapType.HashOfMaps, BpfProgramType.Syscall, BpfProgramType.Tracepoint, BpfProgramType.RawTracepoint, BpfProgramType.Xdp, BpfProgramType.KProbe, nameof(FeatureProbes.ProbeReadKernel))]
    [InlineData("globals")]
    [InlineData("core")]
    [InlineData("slots")]
    [InlineData("usdt")]
    [InlineData("subprogs")]
    [InlineData("ringbuf")]
    public void LoadedBtfMatchesLibbpf(string name)
    {
        using var libbpf = new LibbpfLoad(TestObjects.PathOf(name));
        using var obj = BpfObject.Open(TestObjects.PathOf(name));
        obj.Load();
        var program = obj.Programs.First(p => p.IsLoaded && libbpf.Loaded(p.Name));
        using var theirs = libbpf.Open(program.Name);

        var expected = Types(theirs.Info.BtfId);
        var actual = Types(program.LoadedHandle.Info.BtfId);
        Assert.True(expected.Length > 0, "libbpf's BTF has no types");
        Assert.Equal(expected.Length, actual.Length);
        var datasecs = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i] == actual[i], $"{name}: type {i + 1} differs\n libbpf: {expected[i]}\n ours:   {actual[i]}");
            if (expected[i].Contains("\"kind\":\"DATASEC\"", StringComparison.Ordinal)) datasecs++;
        }
        Assert.NotEqual(0, datasecs);
    }

    /// <summary>
    /// The maps the loaded programs use, matched by name: type, key and value sizes, max entries,
    /// flags and whether frozen, as `bpftool map show` prints them.
    /// </summary>
    [KernelTheory(BpfMapType.Ringbuf, BpfMapType.UserRingbuf, BpfMapType.PerCpuArray, BpfMapType.ProgArray, BpfMapType.ArrayOfMaps, BpfMapType.HashOfMaps, BpfProgramType.Syscall, BpfProgramType.Tracepoint, BpfProgramType.RawTracepoint, BpfProgramType.Xdp, BpfProgramType.KProbe)]
    [InlineData("globals")]
    [InlineData("usdt")]
    [InlineData("slots")]
    [InlineData("ringbuf")]
    public void LoadedMapsMatchLibbpf(string name)
    {
        using var libbpf = new LibbpfLoad(TestObjects.PathOf(name));
        using var obj = BpfObject.Open(TestObjects.PathOf(name));
        obj.Load();
        var expected = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var actual = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var program in obj.Programs.Where(p => p.IsLoaded && libbpf.Loaded(p.Name)))
        {
            AddMaps(expected, ExternalTool.Run("bpftool", "-j", "prog", "show", "pinned", libbpf.PinOf(program.Name)));
            AddMaps(actual, ExternalTool.Run("bpftool", "-j", "prog", "show", "id", program.LoadedHandle.Id.ToString()));
        }
        Assert.NotEmpty(expected);
        Assert.Equal(string.Join("\n", expected.Values), string.Join("\n", actual.Values));
    }

    private static void AddMaps(IDictionary<string, string> into, string programJson)
    {
        using var program = JsonDocument.Parse(programJson);
        if (!program.RootElement.TryGetProperty("map_ids", out var ids)) return;
        foreach (var id in ids.EnumerateArray())
        {
            using var map = JsonDocument.Parse(ExternalTool.Run("bpftool", "-j", "map", "show", "id", id.GetUInt32().ToString()));
            var m = map.RootElement;
            var mapName = m.GetProperty("name").GetString()!;
            into[mapName] = $"{mapName}: {m.GetProperty("type")} key {m.GetProperty("bytes_key")} value {m.GetProperty("bytes_value")} " +
                $"max {m.GetProperty("max_entries")} flags {m.GetProperty("flags")} frozen {m.GetProperty("frozen")}";
        }
    }

    /// <summary>Every type of a loaded BTF object as bpftool prints it, one JSON text per type.</summary>
    private static string[] Types(uint btfId)
    {
        Assert.NotEqual(0u, btfId);
        using var dump = JsonDocument.Parse(ExternalTool.Run("bpftool", "-j", "btf", "dump", "id", btfId.ToString()));
        return dump.RootElement.GetProperty("types").EnumerateArray().Select(t => t.GetRawText()).ToArray();
    }
}
