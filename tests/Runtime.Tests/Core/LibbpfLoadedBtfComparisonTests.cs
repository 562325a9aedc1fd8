using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Core;

/// <summary>
/// The object BTF the kernel holds after a load, ours against Debian's bpftool (libbpf 1.1:
/// `bpftool prog loadall`), read back by id with `bpftool btf dump`. Both start from the same
/// object BTF, so every difference is a fixup one loader makes and the other does not: DATASEC
/// sizes and variable offsets taken from the ELF symbols, hidden globals made static, and the rest.
/// </summary>
[Collection("Kernel")]
public class LibbpfLoadedBtfComparisonTests
{
    [KernelTheory]
    [InlineData("globals")]
    [InlineData("core")]
    [InlineData("slots")]
    [InlineData("usdt")]
    [InlineData("subprogs")]
    [InlineData("ringbuf")]
    public void LoadedBtfMatchesLibbpf(string name)
    {
        var pins = Path.Combine("/sys/fs/bpf", $"bpfskeleton-btf-{Guid.NewGuid():N}");
        try
        {
            Run($"prog loadall {TestObjects.PathOf(name)} {pins}");
            using var obj = BpfObject.Open(TestObjects.PathOf(name));
            obj.Load();
            var program = obj.Programs.First(p => p.IsLoaded && File.Exists(Path.Combine(pins, p.Name)));
            using var theirs = BpfProgramHandle.FromPinned(Path.Combine(pins, program.Name));

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
        finally
        {
            if (Directory.Exists(pins)) Directory.Delete(pins, recursive: true);
        }
    }

    /// <summary>
    /// The maps the loaded programs use, ours against libbpf's, matched by name: type, key and value
    /// sizes, max entries, flags and whether frozen, as bpftool shows them.
    /// </summary>
    [KernelTheory]
    [InlineData("globals")]
    [InlineData("usdt")]
    [InlineData("slots")]
    [InlineData("ringbuf")]
    public void LoadedMapsMatchLibbpf(string name)
    {
        var pins = Path.Combine("/sys/fs/bpf", $"bpfskeleton-maps-{Guid.NewGuid():N}");
        try
        {
            Run($"prog loadall {TestObjects.PathOf(name)} {pins}");
            using var obj = BpfObject.Open(TestObjects.PathOf(name));
            obj.Load();
            var expected = new System.Collections.Generic.SortedDictionary<string, string>(StringComparer.Ordinal);
            var actual = new System.Collections.Generic.SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var program in obj.Programs.Where(p => p.IsLoaded && File.Exists(Path.Combine(pins, p.Name))))
            {
                AddMaps(expected, Run($"-j prog show pinned {Path.Combine(pins, program.Name)}"));
                AddMaps(actual, Run($"-j prog show id {program.LoadedHandle.Id}"));
            }
            Assert.NotEmpty(expected);
            Assert.Equal(string.Join("\n", expected.Values), string.Join("\n", actual.Values));
        }
        finally
        {
            if (Directory.Exists(pins)) Directory.Delete(pins, recursive: true);
        }
    }

    private static void AddMaps(System.Collections.Generic.IDictionary<string, string> into, string programJson)
    {
        using var program = JsonDocument.Parse(programJson);
        if (!program.RootElement.TryGetProperty("map_ids", out var ids)) return;
        foreach (var id in ids.EnumerateArray())
        {
            using var map = JsonDocument.Parse(Run($"-j map show id {id.GetUInt32()}"));
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
        using var dump = JsonDocument.Parse(Run($"-j btf dump id {btfId}"));
        return dump.RootElement.GetProperty("types").EnumerateArray().Select(t => t.GetRawText()).ToArray();
    }

    private static string Run(string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("bpftool", arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"bpftool {arguments}: {error}");
        return output;
    }
}
