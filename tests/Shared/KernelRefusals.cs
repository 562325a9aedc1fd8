using System;
using System.Collections.Generic;
using System.Linq;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Loading;
using BpfSkeleton.Specs;

namespace BpfSkeleton.Runtime.Tests.Kernel;

/// <summary>
/// For tests that load whole objects: leaves out exactly the maps and programs the running kernel refuses,
/// asked of the runtime's own probes, so the rest of the object is still loaded and checked everywhere.
/// </summary>
public static class KernelRefusals
{
    /// <summary>
    /// Turns off (AutoCreate/AutoLoad) every map and program of <paramref name="obj"/> whose feature a probe finds
    /// missing, and every program that uses a map left out. Returns the probes' reasons, one per thing left out.
    /// </summary>
    public static IReadOnlyList<string> LeaveOut(BpfObject obj)
    {
        var reasons = new List<string>();
        var leftOut = new HashSet<string>(StringComparer.Ordinal);
        foreach (var map in obj.Maps.Where(m => m.AutoCreate))
        {
            var probe = map.Spec.StructOps is { } ops ? FeatureProbes.StructOps(ops.KernelTypeName) : FeatureProbes.MapType(map.Type);
            if (probe.Supported) continue;
            map.AutoCreate = false;
            leftOut.Add(map.Name);
            reasons.Add($"map '{map.Name}': {probe.Reason}");
        }
        foreach (var program in obj.Programs.Where(p => p.AutoLoad))
        {
            string? reason = Refusal(program) ?? UsedMap(program.Spec, leftOut);
            if (reason is null) continue;
            program.AutoLoad = false;
            reasons.Add($"program '{program.Name}': {reason}");
        }
        return reasons;
    }

    /// <summary>The probe that fails for this program's type, attach type or flags, if any.</summary>
    private static string? Refusal(BpfProgram program)
    {
        var probes = new List<ProbeResult> { FeatureProbes.ProgramType(program.Type) };
        if (program.Type == BpfProgramType.Lsm)
            probes.Add(FeatureProbes.LsmPrograms);
        if (program.ExpectedAttachType is BpfAttachType.TraceFEntry or BpfAttachType.TraceFExit or BpfAttachType.ModifyReturn)
            probes.Add(FeatureProbes.FentryOnKernel);
        if ((program.Flags & ProgramFlags.Sleepable) != 0 && (program.Type is BpfProgramType.Tracepoint or BpfProgramType.RawTracepoint
                or BpfProgramType.RawTracepointWritable || program.ExpectedAttachType == BpfAttachType.TraceRawTp))
            probes.Add(FeatureProbes.SleepableTracepoints);
        return probes.FirstOrDefault(p => !p.Supported) is { Supported: false } missing ? missing.Reason : null;
    }

    private static string? UsedMap(ProgramSpec program, HashSet<string> leftOut)
        => program.Relocations.FirstOrDefault(r => r.Kind is RelocationKind.MapReference or RelocationKind.ArenaReference
                && leftOut.Contains(r.TargetName)) is { } use
            ? $"uses map '{use.TargetName}', left out"
            : null;
}
