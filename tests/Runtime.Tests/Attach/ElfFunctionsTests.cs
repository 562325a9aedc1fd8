using System;
using System.IO;
using System.Linq;
using BpfSkeleton.Elf;
using BpfSkeleton.Links;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Attach;

/// <summary>Function lookup for uprobes, checked against the section-header translation libbpf uses.</summary>
public class ElfFunctionsTests
{
    private static ElfFile Native() => ElfFunctions.Open(NativeProbeTarget.Path);

    /// <summary>An independent route to the same answer: through the section that holds the symbol.</summary>
    private static ulong OffsetBySection(ElfFile picked, string name)
    {
        // The whole file: the runtime reads only symbols and segments, so its section offsets are not the file's.
        var elf = ElfFile.Parse(File.ReadAllBytes(picked.FileName), picked.FileName, ElfParseOptions.AnyMachine);
        var symbol = elf.Symbols.Concat(elf.DynamicSymbols).First(s => s.Name == name && s.Type == ElfConstants.STT_FUNC && !s.IsUndefined);
        var section = elf.Sections[symbol.SectionIndex];
        return symbol.Value - SectionAddress(elf, section) + section.Offset;
    }

    /// <summary>sh_addr, read straight from the section header table.</summary>
    private static ulong SectionAddress(ElfFile elf, ElfSection section)
    {
        var file = elf.Data.Span;
        ulong table = BitConverter.ToUInt64(file.Slice(40, 8));
        return BitConverter.ToUInt64(file.Slice((int)table + section.Index * 64 + 16, 8));
    }

    [Theory]
    [InlineData("bpfsk_add")]
    [InlineData("bpfsk_hidden")]        // .symtab only
    [InlineData("bpfsk_call_hidden")]
    public void NativeFunctionOffsets(string name)
    {
        var elf = Native();
        ulong offset = ElfFunctions.OffsetOf(elf, name);
        Assert.Equal(OffsetBySection(elf, name), offset);
        var symbol = elf.Symbols.First(s => s.Name == name);
        Assert.Equal(symbol.Value - NativeProbeTarget.AddressShift, offset);
    }

    [Fact]
    public void LibcFunctionFromDynsymOnly()
    {
        var elf = ElfFunctions.Open(BinaryPaths.Resolve("libc.so.6"));
        Assert.Empty(elf.Symbols); // Debian strips .symtab: .dynsym must answer
        Assert.Equal(OffsetBySection(elf, "getppid"), ElfFunctions.OffsetOf(elf, "getppid"));
    }

    [Fact]
    public void UnknownAndUndefinedFunctionsAreNotFound()
    {
        var elf = Native();
        var e = Assert.Throws<BpfException>(() => ElfFunctions.OffsetOf(elf, "no_such_function"));
        Assert.Equal("ENOENT", e.ErrnoName);
        Assert.Contains("no such function symbol", e.Message);
        // bash imports getppid from libc: an undefined .dynsym entry is not a place to probe.
        var bash = ElfFunctions.Open("/usr/bin/bash");
        Assert.Contains(bash.DynamicSymbols, s => s.Name == "getppid" && s.IsUndefined);
        Assert.Throws<BpfException>(() => ElfFunctions.OffsetOf(bash, "getppid"));
    }

    [Fact]
    public void PatternsMatchByNameInOrder()
    {
        var matches = ElfFunctions.Match(Native(), "bpfsk_*");
        Assert.Equal(new[] { "bpfsk_add", "bpfsk_call_hidden", "bpfsk_hidden" }, matches.Select(m => m.Name));
        Assert.Equal(ElfFunctions.OffsetOf(Native(), "bpfsk_add"), matches[0].Offset);
        Assert.Single(ElfFunctions.Match(Native(), "bpfsk_ad?"));
        Assert.Throws<BpfException>(() => ElfFunctions.Match(Native(), "nothing*"));
    }

    [Theory]
    [InlineData("*", "anything", true)]
    [InlineData("get*id", "getppid", true)]
    [InlineData("get?pid", "getppid", true)]
    [InlineData("get?pid", "getpid", false)]
    [InlineData("do_*_sleep*", "do_nano_sleep_x", true)]
    [InlineData("abc", "abcd", false)]
    [InlineData("a*b*c", "aXbYbZc", true)]
    [InlineData("a*b*c", "aXbYbZ", false)]
    public void GlobMatching(string pattern, string text, bool matches) => Assert.Equal(matches, Glob.Matches(pattern, text));
}
