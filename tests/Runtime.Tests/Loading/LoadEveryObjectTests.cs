using System;
using System.IO;
using System.Linq;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using BpfSkeleton.Specs;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Loading;

/// <summary>
/// Loads the test objects and checks with BPF_OBJ_GET_INFO_BY_FD that every map and program exists
/// in the kernel with the name, type, sizes and BTF ids the object defines.
/// </summary>
[Collection("Kernel")]
public class LoadEveryObjectTests
{
    /// <summary>Objects that load as they are on this kernel (others need kprobes/fentry or KALLSYMS_ALL, or fail on purpose).</summary>
    public static TheoryData<string> LoadableObjects => new()
    {
        "globals", "maps", "map_types", "optional", "subprogs", "core", "slots", "ringbuf", "perfbuf", "tcp_cc", "dummy_ops", "attach_trace", "usdt",
    };

    [KernelTheory]
    [MemberData(nameof(LoadableObjects))]
    public void MapsAndProgramsExistAsDefined(string name)
    {
        using var pins = new TempPinDirectory();
        var options = new BpfOpenOptions { PinRoot = pins.Path };
        using var obj = BpfObject.Open(TestObjects.PathOf(name), options);
        KernelRefusals.LeaveOut(obj);
        obj.Load();

        foreach (var map in obj.Maps.Where(m => m.IsCreated))
        {
            var info = map.Map.GetInfo();
            var spec = map.Spec;
            // A created map describes itself without asking the kernel; that must be what the kernel says.
            Assert.Equal(info.Name, map.Map.Name);
            Assert.Equal(info.Type, map.Map.Type);
            Assert.Equal(info.KeySize, map.Map.KeySize);
            Assert.Equal(info.ValueSize, map.Map.ValueSize);
            Assert.Equal(info.MaxEntries, map.Map.MaxEntries);
            Assert.Equal(info.Flags, map.Map.Flags);
            Assert.Equal(info.BtfKeyTypeId, map.Map.BtfKeyTypeId);
            Assert.Equal(info.BtfValueTypeId, map.Map.BtfValueTypeId);
            Assert.Equal(spec.MapExtra, info.MapExtra);
            Assert.Equal(KernelName(spec.Name), info.Name);
            Assert.Equal(spec.Type, info.Type);
            if (spec.Type is not (BpfMapType.Ringbuf or BpfMapType.UserRingbuf or BpfMapType.StructOps or BpfMapType.PerfEventArray))
            {
                Assert.Equal(spec.KeySize, info.KeySize);
                Assert.Equal(spec.ValueSize, info.ValueSize);
                Assert.Equal(spec.MaxEntries, info.MaxEntries);
            }
            if (spec.Origin == MapOrigin.Declared && spec.ValueTypeId != 0 && SupportsBtf(spec.Type))
            {
                Assert.Equal((uint)spec.KeyTypeId, info.BtfKeyTypeId);
                Assert.Equal((uint)spec.ValueTypeId, info.BtfValueTypeId);
            }
        }

        // As libbpf: .rodata is bound to every program (at load through fd_array_cnt, or BPF_PROG_BIND_MAP), so tools list it with each.
        if ((FeatureProbes.FdArrayBinding.Supported || FeatureProbes.ProgBindMap.Supported) && obj.Spec.FindDataSectionMap(".rodata") is { } rodata && obj.Map(rodata.Name).IsCreated)
            foreach (var program in obj.Programs.Where(p => p.IsLoaded))
                Assert.Contains(obj.Map(rodata.Name).Map.Info.Id, program.LoadedHandle.GetMapIds());

        // Everything this kernel allows is loaded (struct_ops programs come with their maps).
        var loaded = obj.Programs.Where(p => p.IsLoaded).ToList();
        Assert.All(obj.Programs.Where(p => p.AutoLoad && !p.IsStructOps), p => Assert.True(p.IsLoaded, $"{p.Name} was not loaded"));
        foreach (var program in loaded)
        {
            var info = program.GetInfo();
            Assert.Equal(KernelName(program.Name), info.Name);
            Assert.Equal(info.Name, program.LoadedHandle.Name);
            Assert.Equal(info.Type, program.LoadedHandle.Type);
            Assert.Equal(info.Id, program.LoadedHandle.Id);
            Assert.Equal(program.Type, info.Type);
            Assert.True(info.BtfId > 0, $"{program.Name} was loaded with the object's BTF");
            Assert.True(info.TranslatedLength > 0);
        }
    }

    [KernelFact]
    public void PinnedMapIsReusedWhenCompatibleAndRejectedWhenNot()
    {
        using var pins = new TempPinDirectory();
        var options = new BpfOpenOptions { PinRoot = pins.Path };
        using var first = BpfObject.Open(TestObjects.PathOf("maps"), options);
        KernelRefusals.LeaveOut(first);
        var pinned = first.Maps.Single(m => m.Spec.Pinning == MapPinning.ByName);
        first.Load();
        Assert.True(File.Exists(Path.Combine(options.PinRoot, pinned.Name)));

        using (var second = BpfObject.Open(TestObjects.PathOf("maps"), options))
        {
            KernelRefusals.LeaveOut(second);
            second.Load();
            Assert.Equal(pinned.Map.Id, second.Map(pinned.Name).Map.Id);
        }

        using var third = BpfObject.Open(TestObjects.PathOf("maps"), options);
        KernelRefusals.LeaveOut(third);
        third.Map(pinned.Name).MaxEntries = pinned.MaxEntries * 2;
        var error = Assert.Throws<BpfLoadException>(third.Load);
        Assert.Contains("different definition", error.Message);
        Assert.Contains("max_entries", error.Message);
    }

    private static string KernelName(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '.' ? c : '_').ToArray();
        var text = new string(chars);
        return text.Length > 15 ? text[..15] : text;
    }

    private static bool SupportsBtf(BpfMapType type) => type is not (BpfMapType.PerfEventArray or BpfMapType.CgroupArray or
        BpfMapType.StackTrace or BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps or BpfMapType.DevMap or BpfMapType.DevMapHash or
        BpfMapType.CpuMap or BpfMapType.XskMap or BpfMapType.SockMap or BpfMapType.SockHash or BpfMapType.Queue or
        BpfMapType.Stack or BpfMapType.Ringbuf or BpfMapType.UserRingbuf or BpfMapType.Arena);
}
