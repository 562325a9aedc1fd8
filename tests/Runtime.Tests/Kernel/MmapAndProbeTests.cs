using System;
using System.Buffers.Binary;
using System.Linq;
using BpfSkeleton.Kernel;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Links;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Kernel;

[Collection("Kernel")]
public class MmapAndProbeTests
{
    private static BpfMap MmapableArray() => BpfMap.Create(new BpfMapCreateOptions
    {
        Type = BpfMapType.Array, Name = "shared", KeySize = 4, ValueSize = 8, MaxEntries = 4, Flags = BpfMapFlags.Mmapable,
    });

    /// <summary>Returns the low 32 bits of the u64 at key 0.</summary>
    private static ulong[] ReadKeyZero(int mapFd) => Asm.Program(
        Asm.StW(Asm.R10, -4, 0),
        Asm.LdMapFd(Asm.R1, mapFd),
        Asm.Mov64Reg(Asm.R2, Asm.R10),
        Asm.Add64Imm(Asm.R2, -4),
        Asm.Call(Asm.HelperMapLookupElem),
        Asm.JeqImm(Asm.R0, 0, 2),
        Asm.LdxW(Asm.R0, Asm.R0, 0),
        Asm.Exit(),
        Asm.Mov64Imm(Asm.R0, 0),
        Asm.Exit());

    [KernelFact]
    public void MemoryMappedArrayIsSharedWithPrograms()
    {
        using var map = MmapableArray();
        using var region = map.MemoryMap();
        Assert.True(region.IsWritable);
        Assert.Equal(32, region.Length);

        BinaryPrimitives.WriteUInt64LittleEndian(region.Span, 41);
        using var reader = BpfProgramHandle.Load(new BpfProgramLoadOptions { Type = BpfProgramType.SocketFilter, Instructions = ReadKeyZero(map.Fd.DangerousGetFd()) });
        Assert.Equal(41u, reader.TestRun(new BpfTestRunOptions { DataIn = new byte[20] }).ReturnValue);

        using var writer = BpfProgramHandle.Load(new BpfProgramLoadOptions { Type = BpfProgramType.SocketFilter, Instructions = Asm.IncrementKeyZero(map.Fd.DangerousGetFd()) });
        writer.TestRun(new BpfTestRunOptions { DataIn = new byte[20], Repeat = 3 });
        Assert.Equal(44UL, BinaryPrimitives.ReadUInt64LittleEndian(region.ReadOnlySpan));
        Assert.Equal(44L, map.Lookup<int, long>(0));
    }

    [KernelFact]
    public void FrozenArrayMapsReadOnly()
    {
        using var map = MmapableArray();
        map.Update(2, 0x1122334455667788L);
        map.Freeze();
        using var region = map.MemoryMap();
        Assert.False(region.IsWritable);
        Assert.Equal(0x1122334455667788UL, BinaryPrimitives.ReadUInt64LittleEndian(region.ReadOnlySpan[16..]));
        Assert.Throws<InvalidOperationException>(() => region.Span.Length);
        Assert.Throws<BpfPermissionException>(() => map.MemoryMap(writable: true));
    }

    [KernelFact]
    public void MemoryMapNeedsMmapableFlag()
    {
        using var map = BpfMap.Create(new BpfMapCreateOptions { Type = BpfMapType.Array, KeySize = 4, ValueSize = 8, MaxEntries = 1 });
        Assert.Throws<InvalidOperationException>(() => map.MemoryMap());
    }

    /// <summary>
    /// The two ways a program holds a map it does not name (libbpf binds .rodata so), each against its probe: with
    /// fd_array_cnt at load, and with BPF_PROG_BIND_MAP after; either way the kernel lists the map with the program.
    /// </summary>
    [KernelTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void BoundMapsAreListedWithTheProgram(bool atLoad)
    {
        using var map = BpfMap.Create(new BpfMapCreateOptions { Type = BpfMapType.Array, Name = "bound", KeySize = 4, ValueSize = 4, MaxEntries = 1 });
        var options = new BpfProgramLoadOptions { Type = BpfProgramType.SocketFilter, Name = "binds", Instructions = Asm.Program(Asm.Mov64Imm(Asm.R0, 0), Asm.Exit()) };
        if (atLoad)
        {
            options.FdArray = new[] { map.Fd.DangerousGetFd() };
            options.BindFdArray = true;
        }
        uint[]? ids = null;
        BpfException? error = null;
        try
        {
            using var program = BpfProgramHandle.Load(options);
            if (!atLoad) program.BindMap(map);
            ids = program.GetMapIds();
        }
        catch (BpfException e)
        {
            error = e;
        }
        ProbeReality.AssertAgrees(atLoad ? FeatureProbes.FdArrayBinding : FeatureProbes.ProgBindMap, () => error, atLoad ? "fd_array_cnt" : "BPF_PROG_BIND_MAP");
        if (ids is not null)
            Assert.Equal(new[] { map.Info.Id }, ids);
    }

    [KernelFact]
    public void ProbesAreCachedAndExplainThemselves()
    {
        ProbeResult[] probes =
        {
            FeatureProbes.BtfFunc, FeatureProbes.BtfFuncGlobal, FeatureProbes.BtfDatasec, FeatureProbes.BtfFloat,
            FeatureProbes.BtfDeclTag, FeatureProbes.BtfTypeTag, FeatureProbes.BtfEnum64, FeatureProbes.GlobalData,
            FeatureProbes.MmapableArray, FeatureProbes.MapName, FeatureProbes.Ringbuf, FeatureProbes.ProbeReadKernel,
            FeatureProbes.BpfCookie, FeatureProbes.StructOpsLink, FeatureProbes.ProgBindMap, FeatureProbes.FdArrayBinding,
        };
        Assert.All(probes, probe => Assert.Matches(probe.Supported ? ": supported$" : @": not supported \(.+\)$", probe.Reason));
        Assert.Same(FeatureProbes.BtfFunc.Reason, FeatureProbes.BtfFunc.Reason); // cached
        Assert.Equal(FeatureProbes.MapType(BpfMapType.Ringbuf), FeatureProbes.Ringbuf);
    }

    /// <summary>
    /// Named probes against reality: each program its probe speaks for, loaded alone from a test object.
    /// </summary>
    [KernelTheory]
    [InlineData(nameof(FeatureProbes.FentryOnKernel), "freplace", "on_answer_entry", "bpf_fentry_test1")]
    [InlineData(nameof(FeatureProbes.LsmPrograms), "maps", "on_unlink", null)]
    [InlineData(nameof(FeatureProbes.SleepableTracepoints), "optional", "sleepable_tp", null)]
    public void NamedProbesAgreeWithRealPrograms(string probe, string objectName, string programName, string? kernelFunction)
        => ProbeReality.AssertAgrees(KernelNeeds.Probe(probe), () => ProbeReality.LoadAlone(objectName, programName, kernelFunction),
            $"{objectName}.{programName}");

    /// <summary>
    /// Each program type's probe against reality: the test objects' programs of that type, each loaded alone.
    /// The probe says yes exactly where one of them loads; where it says no, they fail with the probe's errno.
    /// Programs whose load hangs on another feature (an attach family with a probe of its own) are left out.
    /// </summary>
    [KernelFact]
    public void ProgramTypeProbesAgreeWithRealPrograms()
    {
        foreach (var (type, programs) in ProbeReality.ProgramsByType())
        {
            var failures = new System.Collections.Generic.List<BpfException>();
            bool anyLoaded = false;
            foreach (var (objectName, programName) in programs)
            {
                var error = ProbeReality.LoadAlone(objectName, programName);
                anyLoaded |= error is null;
                if (error is not null) failures.Add(error);
            }
            var result = FeatureProbes.ProgramType(type);
            Assert.True(result.Supported == anyLoaded,
                $"{type}: probe says '{result.Reason}', but {(anyLoaded ? "a real program loaded" : "no real program loaded: " + string.Join("; ", failures.Select(f => f.Message)))}");
            if (!result.Supported)
                Assert.All(failures, f => Assert.Contains(f.ErrnoName, result.Reason));
        }
    }

    /// <summary>
    /// Each map type's probe against reality: a real map of that type, defined as a test object defines it and
    /// created alone by the loader. Both succeed, or both fail with the same errno; an EPERM as root says the
    /// kernel refused, not that privileges are missing. Every map type has such a definition.
    /// </summary>
    [KernelFact]
    public void MapTypeProbesAgreeWithRealMaps()
    {
        var definitions = ProbeReality.MapsByType();
        foreach (BpfMapType type in Enum.GetValues<BpfMapType>())
        {
            if (type is BpfMapType.Unspec or BpfMapType.StructOps)
                continue; // not a type; struct_ops maps are probed per kernel struct (below)
            Assert.True(definitions.ContainsKey(type), $"no test object defines a {type} map to check its probe against");
            var (objectName, mapName) = definitions[type];
            ProbeReality.AssertAgrees(FeatureProbes.MapType(type), () => ProbeReality.CreateAlone(objectName, mapName), $"{type} ({objectName}.{mapName})");
        }
        Assert.False(FeatureProbes.MapType((BpfMapType)9999).Supported);
    }

    /// <summary>struct_ops probes against the test objects' real struct_ops maps, and against a struct no kernel has.</summary>
    [KernelTheory]
    [InlineData("tcp_congestion_ops", "tcp_cc", "plain_cc")]
    [InlineData("bpf_dummy_ops", "dummy_ops", "dummy")]
    public void StructOpsProbesAgreeWithRealMaps(string kernelStruct, string objectName, string mapName)
    {
        ProbeReality.AssertAgrees(FeatureProbes.StructOps(kernelStruct), () => ProbeReality.CreateAlone(objectName, mapName), kernelStruct);
        Assert.False(FeatureProbes.StructOps("no_such_ops").Supported);
    }
}
