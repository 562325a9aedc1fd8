using System.IO;
using System.Linq;
using BpfSkeleton.Elf;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.ObjectModel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Attach;

/// <summary>Program headers and .dynsym of native binaries agree with llvm-readelf.</summary>
public class ElfProgramHeaderTests
{
    public static TheoryData<string> NativeBinaries() => new() { "/lib/x86_64-linux-gnu/libc.so.6", "/usr/bin/bash", "native" };

    private static string Resolve(string binary) => binary == "native" ? NativeProbeTarget.Path : binary;

    private static ElfFile Parse(string path) => ElfFile.Parse(File.ReadAllBytes(path), path, ElfParseOptions.AnyMachine);

    [Theory]
    [MemberData(nameof(NativeBinaries))]
    public void ProgramHeadersMatchReadelf(string binary)
    {
        string path = Resolve(binary);
        var elf = Parse(path);
        var expected = ExternalTool.ReadelfJson(path, "-l").GetProperty("ProgramHeaders").EnumerateArray()
            .Select(e => e.GetProperty("ProgramHeader")).ToArray();
        Assert.Equal(expected.Length, elf.ProgramHeaders.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            var header = elf.ProgramHeaders[i];
            Assert.Equal(expected[i].GetProperty("Type").GetProperty("RawValue").GetUInt32(), header.Type);
            Assert.Equal(expected[i].GetProperty("Offset").GetUInt64(), header.Offset);
            Assert.Equal(expected[i].GetProperty("VirtualAddress").GetUInt64(), header.VirtualAddress);
            Assert.Equal(expected[i].GetProperty("FileSize").GetUInt64(), header.FileSize);
            Assert.Equal(expected[i].GetProperty("MemSize").GetUInt64(), header.MemorySize);
            Assert.Equal(expected[i].GetProperty("Flags").GetProperty("RawFlags").GetUInt32(), header.Flags);
            Assert.Equal(expected[i].GetProperty("Alignment").GetUInt64(), header.Alignment);
        }
    }

    [Theory]
    [MemberData(nameof(NativeBinaries))]
    public void DynamicSymbolsMatchReadelf(string binary)
    {
        string path = Resolve(binary);
        var elf = Parse(path);
        var expected = ExternalTool.ReadelfJson(path, "--dyn-syms").GetProperty("DynamicSymbols").EnumerateArray()
            .Select(e => e.GetProperty("Symbol")).ToArray();
        Assert.Equal(expected.Length, elf.DynamicSymbols.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            // llvm-readelf prints versioned names ("getppid@@GLIBC_2.2.5"); the table stores the bare name.
            string name = expected[i].GetProperty("Name").GetProperty("Value").GetString()!.Split('@')[0];
            Assert.Equal(name, elf.DynamicSymbols[i].Name);
            Assert.Equal(expected[i].GetProperty("Value").GetUInt64(), elf.DynamicSymbols[i].Value);
        }
    }

    [Fact]
    public void NativeMachinesNeedTheAnyMachineOption()
    {
        byte[] libc = File.ReadAllBytes("/lib/x86_64-linux-gnu/libc.so.6");
        var e = Assert.Throws<BpfFormatException>(() => ElfFile.Parse(libc, "libc.so.6"));
        Assert.Contains("EM_BPF", e.Problem);
        var elf = ElfFile.Parse(libc, "libc.so.6", ElfParseOptions.AnyMachine);
        Assert.Equal(ElfConstants.EM_X86_64, elf.Machine);
        Assert.Equal(ElfConstants.ET_DYN, elf.Type);
    }

    [Fact]
    public void BpfObjectsHaveNoProgramHeaders()
    {
        var elf = ElfFile.Parse(TestObjects.Bytes("attach_trace"), "attach_trace.bpf.o");
        Assert.Empty(elf.ProgramHeaders);
        Assert.Empty(elf.DynamicSymbols);
        Assert.False(elf.TryGetFileOffset(0, out _));
    }

    [Fact]
    public void FileOffsetsFollowTheLoadSegment()
    {
        var elf = Parse(NativeProbeTarget.Path);
        var text = elf.ProgramHeaders.Single(p => p.IsLoad && p.IsExecutable);
        Assert.Equal(text.Offset + NativeProbeTarget.AddressShift, text.VirtualAddress);
        Assert.True(elf.TryGetFileOffset(text.VirtualAddress + 16, out ulong offset));
        Assert.Equal(text.Offset + 16, offset);
        Assert.False(elf.TryGetFileOffset(text.VirtualAddress - 1 - NativeProbeTarget.AddressShift, out _));
    }
}
