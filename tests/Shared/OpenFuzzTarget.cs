using System;
using BpfSkeleton.Loading;
using BpfSkeleton.Specs;

namespace BpfSkeleton.Fuzzing;

/// <summary>How one fuzz input ended.</summary>
public enum FuzzOutcome
{
    /// <summary>Opened, and every part of the spec could be read.</summary>
    Opened,

    /// <summary>Refused with a <see cref="BpfFormatException"/>: the documented answer to a malformed object.</summary>
    Refused,
}

/// <summary>
/// What the fuzzers run: open the bytes as an object (BpfObjectSpec.Parse, the loader's and the generator's one
/// parser) and read every part of the spec the loader would. Any exception but BpfFormatException escapes.
/// </summary>
public static class OpenFuzzTarget
{
    public static FuzzOutcome Run(byte[] bytes)
    {
        BpfObjectSpec spec;
        try
        {
            spec = BpfObjectSpec.Parse(bytes, "fuzz.bpf.o");
        }
        catch (BpfFormatException)
        {
            return FuzzOutcome.Refused;
        }
        Read(spec);
        return FuzzOutcome.Opened;
    }

    /// <summary>Touches what the loader reads after open, so a spec that opens but cannot be used is found too.</summary>
    private static void Read(BpfObjectSpec spec)
    {
        long sum = spec.License.Length + spec.KernelVersion;
        foreach (var program in spec.Programs)
            sum += program.Instructions.Length + program.Relocations.Count + program.FuncInfos.Count + program.LineInfos.Count + program.CoreRelocations.Count;
        foreach (var program in spec.Subprograms)
            sum += program.Instructions.Length + program.Relocations.Count;
        foreach (var map in spec.Maps)
            sum += map.KeySize + map.ValueSize + map.MaxEntries + map.InitialSlots.Count + (map.InnerMap?.ValueSize ?? 0);
        foreach (var data in spec.DataSections)
        {
            sum += data.Size;
            foreach (var variable in data.Variables)
                sum += data.VariableBytes(variable).Length;
        }
        foreach (var ops in spec.StructOps)
        {
            foreach (var member in ops.Members)
                sum += ops.MemberBytes(member).Length + (ops.GetProgram(member)?.Length ?? 0);
        }
        foreach (var extern_ in spec.Externs)
            sum += extern_.Name.Length;
        GC.KeepAlive(sum);
    }
}
