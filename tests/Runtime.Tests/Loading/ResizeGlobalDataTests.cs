using System;
using System.Runtime.InteropServices;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Loading;

/// <summary>
/// Global data resized before load, as libbpf's bpf_map__set_value_size: map_types' <c>.data.resizable</c>
/// ends in an array that a program sums over as many elements as <c>.rodata</c> says.
/// </summary>
[Collection("Kernel")]
public class ResizeGlobalDataTests
{
    [KernelFact(BpfProgramType.Syscall)]
    public void TheLastArrayGrowsInTheMapAndInBtf()
    {
        using var obj = Open();
        var data = obj.GlobalDataSection(".data.resizable");
        Assert.Equal(16, data.Size);
        obj.Map(data.Map.Name).ValueSize = 5 * 8;
        Assert.Equal(40, data.Size);
        Assert.Equal(new ulong[] { 10, 20, 0, 0, 0 }, MemoryMarshal.Cast<byte, ulong>(data.Bytes).ToArray()); // kept, then zeros
        for (int i = 2; i < 5; i++) data.Write(i * 8, (ulong)(i + 1) * 10);
        Assert.Equal(40, data.Variable("resizable_values").Length);
        obj.GlobalDataSection(".rodata").Write(obj.GlobalDataSection(".rodata").Spec.FindVariable("resizable_len")!.Offset, 5u);
        obj.Load();

        Assert.Equal(0u, obj.Program("sum_resizable").TestRun().ReturnValue);
        Assert.Equal(150ul, Read(obj, "resizable_sum"));
        var info = data.Map.Map.GetInfo();
        Assert.Equal(40u, info.ValueSize);
        Assert.NotEqual(0u, info.BtfValueTypeId); // the DATASEC followed: its array now has 5 elements
    }

    [KernelFact(BpfProgramType.Syscall)]
    public void ASizeThatSplitsAnElementLosesBtfButStillLoads()
    {
        using var obj = Open();
        var data = obj.GlobalDataSection(".data.resizable");
        obj.Map(data.Map.Name).ValueSize = 3 * 8 + 4;
        obj.GlobalDataSection(".rodata").Write(obj.GlobalDataSection(".rodata").Spec.FindVariable("resizable_len")!.Offset, 3u);
        obj.Load();

        obj.Program("sum_resizable").TestRun();
        Assert.Equal(30ul, Read(obj, "resizable_sum"));
        var info = data.Map.Map.GetInfo();
        Assert.Equal(28u, info.ValueSize);
        Assert.Equal(0u, info.BtfValueTypeId);
    }

    [KernelFact(BpfProgramType.Syscall)]
    public void WithoutResizingTheProgramCannotReadPastTheSection()
    {
        using var obj = Open();
        obj.GlobalDataSection(".rodata").Write(obj.GlobalDataSection(".rodata").Spec.FindVariable("resizable_len")!.Offset, 5u);
        var error = Assert.Throws<BpfVerifierException>(obj.Load);
        Assert.Contains("sum_resizable", error.Message);
    }

    [KernelFact(BpfMapType.ReusePortSockArray, BpfProgramType.Syscall)]
    public void DeclaredMapsDropBtfTypesThatNoLongerFit()
    {
        using var obj = Open();
        var reuseport = obj.Map("reuseport"); // __u32 key, __u64 value
        reuseport.ValueSize = 4;
        obj.Load();
        var info = reuseport.Map.GetInfo();
        Assert.Equal(4u, info.ValueSize);
        Assert.Equal(0u, info.BtfValueTypeId);
    }

    private static BpfObject Open()
    {
        var obj = BpfObject.Open(TestObjects.PathOf("map_types"));
        KernelRefusals.LeaveOut(obj);
        // Only what these tests run: the arena parts need a kernel with arenas.
        foreach (var program in obj.Programs)
            program.AutoLoad = program.Name == "sum_resizable";
        obj.Map("arena").AutoCreate = FeatureProbes.MapType(BpfMapType.Arena).Supported;
        return obj;
    }

    private static ulong Read(BpfObject obj, string variable) => MemoryMarshal.Read<ulong>(obj.GlobalDataSection(".bss").Variable(variable));
}
