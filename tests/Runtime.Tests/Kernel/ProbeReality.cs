using System;
using System.Collections.Generic;
using System.Linq;
using BpfSkeleton.Interop;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Loading;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Specs;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Kernel;

/// <summary>
/// Holds the runtime's probes against reality: the test objects' own maps and programs, created or loaded one
/// at a time by the loader, must succeed exactly where the probe says the kernel has the feature.
/// </summary>
internal static class ProbeReality
{
    /// <summary>Objects whose maps and programs are meant to load (the others fail on purpose or need a target).</summary>
    private static readonly string[] Objects =
    {
        "globals", "maps", "map_types", "optional", "subprogs", "core", "slots", "ringbuf", "perfbuf", "tcp_cc", "dummy_ops",
        "attach_trace", "attach_net", "attach_probe", "usdt",
    };

    /// <summary>For every map type the test objects define, the first (object, map) that defines it.</summary>
    public static Dictionary<BpfMapType, (string Object, string Map)> MapsByType()
    {
        var found = new Dictionary<BpfMapType, (string, string)>();
        foreach (var name in Objects)
        {
            using var obj = BpfObject.Open(TestObjects.PathOf(name));
            foreach (var map in obj.Maps)
                found.TryAdd(map.Type, (name, map.Name));
        }
        return found;
    }

    /// <summary>
    /// Every program type's programs in the test objects, leaving out programs whose load also needs
    /// something another probe speaks for (fentry/fexit, LSM, freplace targets, sleepable tracepoints, or a map
    /// this kernel refuses): their failure would say nothing about the program type.
    /// </summary>
    public static IEnumerable<(BpfProgramType Type, List<(string Object, string Program)> Programs)> ProgramsByType()
    {
        var byType = new SortedDictionary<BpfProgramType, List<(string, string)>>();
        foreach (var name in Objects)
        {
            using var obj = BpfObject.Open(TestObjects.PathOf(name));
            var refusedMaps = obj.Maps.Where(m => !MapProbe(m).Supported).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var program in obj.Programs)
            {
                if (program.Type is BpfProgramType.Unspec or BpfProgramType.Ext or BpfProgramType.Lsm
                    || program.ExpectedAttachType is BpfAttachType.TraceFEntry or BpfAttachType.TraceFExit or BpfAttachType.ModifyReturn
                    || (program.Flags & ProgramFlags.Sleepable) != 0 && program.Type is not (BpfProgramType.Syscall or BpfProgramType.StructOps or BpfProgramType.KProbe)
                    || program.Spec.Relocations.Any(r => refusedMaps.Contains(r.TargetName)))
                    continue;
                if (!byType.TryGetValue(program.Type, out var list))
                    byType[program.Type] = list = new List<(string, string)>();
                list.Add((name, program.Name));
            }
        }
        return byType.Select(pair => (pair.Key, pair.Value));
    }

    /// <summary>Loads <paramref name="mapName"/> of the object with nothing else; returns the kernel's error, or null.</summary>
    public static BpfException? CreateAlone(string objectName, string mapName)
        => LoadOnly(objectName, obj =>
        {
            foreach (var program in obj.Programs) program.AutoLoad = false;
            // Global data stays: struct_ops programs, loaded with their map, use it.
            foreach (var map in obj.Maps) map.AutoCreate = map.Name == mapName || map.Spec.Origin == MapOrigin.GlobalData;
        });

    /// <summary>
    /// Loads <paramref name="programName"/> of the object and no other program (maps as this kernel allows them);
    /// returns the kernel's error, or null. <paramref name="kernelFunction"/> retargets a tracing program.
    /// </summary>
    public static BpfException? LoadAlone(string objectName, string programName, string? kernelFunction = null)
        => LoadOnly(objectName, obj =>
        {
            KernelRefusals.LeaveOut(obj);
            foreach (var program in obj.Programs) program.AutoLoad = program.Name == programName;
            if (kernelFunction is not null)
                obj.Program(programName).SetAttachTarget(null, kernelFunction);
        });

    /// <summary>The probe must say yes exactly where the real operation succeeds, and name the errno it fails with.</summary>
    public static void AssertAgrees(ProbeResult probe, Func<BpfException?> real, string what)
    {
        var error = real();
        Assert.True(probe.Supported == error is null,
            $"{what}: the probe says '{probe.Reason}', but the real one {(error is null ? "succeeded" : "failed: " + error.Message)}");
        if (error is null)
            return;
        Assert.Contains(error.ErrnoName, probe.Reason);
        if (error.Errno == Interop.Errno.EPERM && Interop.ProcessPrivileges.IsPrivilegedRoot())
        {
            // Root was refused by the kernel's policy: both must say so, and neither may ask for privileges.
            Assert.Contains("refused although running as root", error.Message);
            Assert.DoesNotContain("needs CAP_BPF", error.Message);
            Assert.Contains("refused although running as root", probe.Reason);
        }
    }

    private static ProbeResult MapProbe(BpfObjectMap map)
        => map.Spec.StructOps is { } ops ? FeatureProbes.StructOps(ops.KernelTypeName) : FeatureProbes.MapType(map.Type);

    private static BpfException? LoadOnly(string objectName, Action<BpfObject> select)
    {
        using var obj = BpfObject.Open(TestObjects.PathOf(objectName));
        select(obj);
        // A map created with programs or maps in its slots needs them too.
        foreach (var map in obj.Maps.Where(m => m.AutoCreate).ToList())
            foreach (var slot in map.Spec.InitialSlots.Values)
                if (map.Type == BpfMapType.ProgArray)
                    obj.Program(slot).AutoLoad = true;
                else
                    obj.Map(slot).AutoCreate = true;
        try
        {
            obj.Load();
            return null;
        }
        catch (BpfLoadException e) when (e.InnerException is BpfException inner)
        {
            return inner;
        }
        catch (BpfException e) when (e.Errno != 0)
        {
            return e; // a kernel call failed; any other error is the test's own setup and propagates
        }
    }
}
