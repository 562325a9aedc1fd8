using System;
using System.IO;
using BpfSkeleton.Elf;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Core;

/// <summary>
/// CO-RE against BpfOpenOptions.KernelBtfPath: the target BTF is core_custom_target.bpf.o's
/// .BTF section written to a file, in which struct shape's fields moved, one was renamed, one
/// shrank and one sits in an anonymous union.
/// </summary>
[Collection("Kernel")]
public sealed class CustomTargetBtfTests : IDisposable
{
    private readonly string _targetPath = Path.Combine(Path.GetTempPath(), $"bpfskeleton-core-target-{Guid.NewGuid():N}.btf");

    public CustomTargetBtfTests()
    {
        var elf = ElfFile.Parse(TestObjects.Bytes("core_custom_target"), "core_custom_target.bpf.o");
        var section = elf.FindSection(".BTF") ?? throw new InvalidOperationException("no .BTF");
        File.WriteAllBytes(_targetPath, section.Data.ToArray());
    }

    public void Dispose() => File.Delete(_targetPath);

    private BpfObject Open() => BpfObject.Open(TestObjects.PathOf("core_custom"), new BpfOpenOptions { KernelBtfPath = _targetPath });

    [KernelFact(BpfProgramType.Syscall)]
    public void LoadsAndStoresFollowTheTargetLayout()
    {
        using var obj = Open();
        obj.Program("read_renamed").AutoLoad = false;
        obj.Load();
        var bss = obj.GlobalDataSection(".bss");
        var buffer = bss.GetWritableBytes();
        // Target layout: unsigned int c @0, int arr[4] @4, union { int b } @20, int renamed @24, int a @28.
        BitConverter.TryWriteBytes(buffer.Slice(0, 4), 0xC0FFEEu);
        BitConverter.TryWriteBytes(buffer.Slice(4 + 2 * 4, 4), 222);
        BitConverter.TryWriteBytes(buffer.Slice(20, 4), 20);
        BitConverter.TryWriteBytes(buffer.Slice(28, 4), 28);

        obj.Program("read_shape").TestRun();

        ulong Out(int index) => bss.Read<ulong>(64 + index * 8);
        Assert.Equal(28ul, Out(0));        // a
        Assert.Equal(20ul, Out(1));        // b, through anonymous struct (local) and union (target)
        Assert.Equal(0xC0FFEEul, Out(2));  // c: an 8-byte unsigned load narrowed to the target's 4 bytes
        Assert.Equal(222ul, Out(3));       // arr[2]
        Assert.Equal(32ul, Out(4));        // bpf_core_type_size(struct shape)
        Assert.Equal(7ul, Out(5));         // SHAPE_SQUARE in the target
        Assert.Equal(0ul, Out(6));         // renamed_in_target does not exist there
        Assert.Equal(20ul, Out(7));        // offset of b
    }

    [KernelFact(BpfProgramType.Syscall)]
    public void TheNarrowedLoadIsAFourByteLoadAtTheTargetOffset()
    {
        using var obj = Open();
        obj.Program("read_renamed").AutoLoad = false;
        obj.Load();
        var xlated = obj.Program("read_shape").LoadedHandle.GetTranslatedInstructions();
        // LDX | MEM | W with offset 0 exists (c); LDX | MEM | DW with offset 0 from the buffer does not.
        Assert.Contains(xlated, i => (byte)i == 0x61 && (short)(i >> 16) == 0);
        Assert.Contains(xlated, i => (byte)i == 0x61 && (short)(i >> 16) == 28);
    }

    [KernelFact(BpfProgramType.Syscall)]
    public void AnUnguardedRenamedFieldFailsNamingTheRelocation()
    {
        using var obj = Open();
        obj.Program("read_shape").AutoLoad = false;
        var error = Assert.Throws<BpfVerifierException>(() => obj.Load());
        Assert.NotEmpty(error.VerifierLog); // the verifier's rejection, explained, not a different error
        Assert.Contains("read_renamed", error.Message);
        Assert.Contains("struct shape::renamed_in_target", error.Message);
        Assert.Contains("FieldByteOffset", error.Message);
        Assert.Matches(@"CO-RE relocation #\d+ .* at instruction \d+", error.Message);
    }
}
