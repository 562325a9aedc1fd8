using System;
using System.Buffers.Binary;
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

    [KernelFact]
    public void ProbesFindWhatThisKernelHas()
    {
        ProbeResult[] expected =
        {
            FeatureProbes.BtfFunc, FeatureProbes.BtfFuncGlobal, FeatureProbes.BtfDatasec, FeatureProbes.BtfFloat,
            FeatureProbes.BtfDeclTag, FeatureProbes.BtfTypeTag, FeatureProbes.BtfEnum64, FeatureProbes.GlobalData,
            FeatureProbes.MmapableArray, FeatureProbes.MapName, FeatureProbes.Ringbuf, FeatureProbes.ProbeReadKernel,
            FeatureProbes.BpfCookie, FeatureProbes.StructOpsLink,
        };
        Assert.All(expected, probe => Assert.True(probe.Supported, probe.Reason));
        Assert.Same(FeatureProbes.BtfFunc.Reason, FeatureProbes.BtfFunc.Reason); // cached
    }

    [KernelFact]
    public void MapTypeProbes()
    {
        var failures = new System.Collections.Generic.List<string>();
        foreach (BpfMapType type in Enum.GetValues<BpfMapType>())
        {
            if (type is BpfMapType.Unspec or BpfMapType.StructOps)
                continue;
            ProbeResult result = FeatureProbes.MapType(type);
            if (!result.Supported)
                failures.Add(result.Reason);
        }
        Assert.Empty(failures);
        Assert.False(FeatureProbes.MapType((BpfMapType)9999).Supported);
    }

    [KernelFact]
    public void ProgramTypeProbes()
    {
        BpfProgramType[] present =
        {
            BpfProgramType.SocketFilter, BpfProgramType.SchedCls, BpfProgramType.Xdp, BpfProgramType.Tracepoint,
            BpfProgramType.RawTracepoint, BpfProgramType.PerfEvent, BpfProgramType.CgroupSkb, BpfProgramType.CgroupSockAddr,
            BpfProgramType.CgroupSockOpt, BpfProgramType.SkLookup, BpfProgramType.Syscall, BpfProgramType.Tracing,
            BpfProgramType.StructOps,
        };
        Assert.All(present, type => Assert.True(FeatureProbes.ProgramType(type).Supported, FeatureProbes.ProgramType(type).Reason));
        Assert.False(FeatureProbes.ProgramType((BpfProgramType)9999).Supported);
    }
}
