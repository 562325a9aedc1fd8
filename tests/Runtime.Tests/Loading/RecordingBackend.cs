using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using BpfSkeleton.Kernel;
using BpfSkeleton.Loading;

namespace BpfSkeleton.Runtime.Tests.Loading;

/// <summary>
/// A second back-end, as the light skeleton's recorder will be: it writes each planned kernel operation down,
/// with references left symbolic, and (alone) touches no kernel object. Given a back-end to forward to, it
/// records what that one performs.
/// </summary>
internal sealed class RecordingBackend : ILoadBackend
{
    public bool DefersKernelFacts => false;

    private readonly ILoadBackend? _forward;
    private readonly HashSet<KernelRef> _made = new();

    public RecordingBackend(ILoadBackend? forward = null) => _forward = forward;

    public List<string> Operations { get; } = new();

    public void LoadObjectBtf(byte[] rawBtf)
    {
        Operations.Add($"load BTF {rawBtf.Length} bytes {Hash(rawBtf)}");
        _forward?.LoadObjectBtf(rawBtf);
    }

    public void CreateMap(int map, MapCreation creation)
    {
        Operations.Add($"create map #{map} {Describe(creation)}" + (creation.InnerTemplate is { } inner ? $" inner {Describe(inner)}" : ""));
        _forward?.CreateMap(map, creation);
        _made.Add(KernelRef.Map(map));
    }

    public bool TryReusePinned(int map, string path, MapCreation expected)
    {
        bool reused = _forward?.TryReusePinned(map, path, expected) ?? false;
        Operations.Add($"reuse pinned map #{map} at {path}: {reused}");
        if (reused) _made.Add(KernelRef.Map(map));
        return reused;
    }

    public void UseGivenMap(int map, BpfMap given, MapCreation expected)
    {
        Operations.Add($"use given map #{map}");
        (_forward ?? throw new NotSupportedException("a recording cannot take a map that exists only at run time")).UseGivenMap(map, given, expected);
        _made.Add(KernelRef.Map(map));
    }

    public void Pin(int map, string path)
    {
        Operations.Add($"pin map #{map} at {path}");
        _forward?.Pin(map, path);
    }

    public void MapArena(int map)
    {
        Operations.Add($"map arena #{map}");
        _forward?.MapArena(map);
    }

    public void PlaceArenaGlobals(int map, long offset, byte[] image)
    {
        Operations.Add($"arena globals in map #{map} at {offset}: {Hash(image)}");
        _forward?.PlaceArenaGlobals(map, offset, image);
    }

    public bool IsReused(int map) => _forward?.IsReused(map) ?? false;

    public bool Exists(KernelRef target) => target.Kind is KernelRefKind.None or KernelRefKind.ModuleBtf || _made.Contains(target);

    public void InitializeData(int map, byte[] image, bool write, bool freeze)
    {
        Operations.Add($"data map #{map}: {image.Length} bytes {Hash(image)}{(write ? ", written" : "")}{(freeze ? ", frozen" : "")}");
        _forward?.InitializeData(map, image, write, freeze);
    }

    public void LoadProgram(int program, ProgramLoad load, int boundMap)
    {
        var o = load.Options;
        // Before forwarding: the live back-end writes fds into the code.
        Operations.Add($"load program #{program} '{o.Name}' {o.Type} attach {o.ExpectedAttachType?.ToString() ?? "-"} btf id {o.AttachBtfId} " +
            $"flags {o.Flags} {load.Code.Length} insns {Hash(load.Code.SelectMany(BitConverter.GetBytes).ToArray())} " +
            $"fixups [{string.Join(", ", load.Fixups.Select(f => $"{f.InstructionIndex}.{f.Field}={f.Target}"))}] " +
            $"fd_array [{string.Join(", ", load.FdArray)}] object BTF {load.WithObjectBtf}");
        if (boundMap >= 0)
            Operations.Add($"bind map #{boundMap} to program #{program}");
        Fixups.AddRange(load.Fixups);
        _forward?.LoadProgram(program, load, boundMap);
        _made.Add(KernelRef.Program(program));
    }

    /// <summary>Every fixup of every program, in load order.</summary>
    public List<FdFixup> Fixups { get; } = new();

    public void WriteSlot(int map, uint slot, KernelRef target)
    {
        Operations.Add($"slot {slot} of map #{map} = {target}");
        _forward?.WriteSlot(map, slot, target);
    }

    private static string Describe(MapCreation c)
    {
        var o = c.Options;
        return $"'{o.Name}' {o.Type} key {o.KeySize} value {o.ValueSize} max {o.MaxEntries} flags {o.Flags} extra {o.MapExtra} " +
            $"btf {(c.WithObjectBtf ? $"{o.BtfKeyTypeId}/{o.BtfValueTypeId}" : "none")} vmlinux value {o.BtfVmlinuxValueTypeId} module {c.ValueTypeModule ?? "-"}";
    }

    private static string Hash(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes))[..12];
}
