using System;
using BpfSkeleton.Links;
using BpfSkeleton.Specs;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Attach;

/// <summary>Probe section names parse with libbpf's syntax and decide auto-attach.</summary>
public class ProbeSectionTests
{
    private static (SectionDefinition Definition, string Target) Section(string name)
    {
        var definition = SectionTable.Find(name)!;
        return (definition, definition.AttachTarget(name)!);
    }

    [Theory]
    [InlineData("uprobe/libc.so.6:getppid", "libc.so.6", "getppid", 0ul, false)]
    [InlineData("uprobe//usr/lib/libfoo.so:foo+0x10", "/usr/lib/libfoo.so", "foo", 0x10ul, false)]
    [InlineData("uprobe//proc/self/exe:main+16", "/proc/self/exe", "main", 16ul, false)]
    [InlineData("uprobe/bin:f+010", "bin", "f", 8ul, false)]
    [InlineData("uprobe/bin:weird+name", "bin", "weird+name", 0ul, false)]
    [InlineData("uretprobe/libc.so.6:malloc", "libc.so.6", "malloc", 0ul, true)]
    [InlineData("uprobe.s/libc.so.6:getppid", "libc.so.6", "getppid", 0ul, false)]
    [InlineData("uretprobe.s/libc.so.6:getppid", "libc.so.6", "getppid", 0ul, true)]
    public void Uprobes(string section, string binary, string function, ulong offset, bool isReturn)
    {
        var (definition, target) = Section(section);
        Assert.Equal(new UprobeSectionTarget(binary, function, offset, isReturn), ProbeSections.ParseUprobe(definition, target));
    }

    [Theory]
    [InlineData("uprobe/libc.so.6", "missing ':function[+offset]'")]
    [InlineData("uprobe/libc.so.6:", "missing ':function[+offset]'")]
    [InlineData("uretprobe/libc.so.6:malloc+4", "uretprobes do not support an offset")]
    public void MalformedUprobes(string section, string message)
    {
        var (definition, target) = Section(section);
        Assert.Contains(message, Assert.Throws<FormatException>(() => ProbeSections.ParseUprobe(definition, target)).Message);
    }

    [Theory]
    [InlineData("uprobe.multi/libc.so.6:get*", "libc.so.6", "get*", false)]
    [InlineData("uretprobe.multi//usr/bin/bash:main", "/usr/bin/bash", "main", true)]
    public void UprobeMulti(string section, string binary, string pattern, bool isReturn)
    {
        var (definition, target) = Section(section);
        Assert.Equal(new UprobeMultiSectionTarget(binary, pattern, isReturn), ProbeSections.ParseUprobeMulti(definition, target));
    }

    [Theory]
    [InlineData("kprobe/do_nanosleep", "do_nanosleep", 0ul, false)]
    [InlineData("kprobe/tcp_v4_connect+0x8", "tcp_v4_connect", 8ul, false)]
    [InlineData("kprobe/foo.isra.0", "foo.isra.0", 0ul, false)]
    [InlineData("kretprobe/do_nanosleep", "do_nanosleep", 0ul, true)]
    public void Kprobes(string section, string function, ulong offset, bool isReturn)
    {
        var (definition, target) = Section(section);
        Assert.Equal(new KprobeSectionTarget(function, offset, isReturn), ProbeSections.ParseKprobe(definition, target));
    }

    [Theory]
    [InlineData("kretprobe/do_nanosleep+4", "kretprobes do not support an offset")]
    [InlineData("kprobe/bad-name", "is not a kernel function name")]
    public void MalformedKprobes(string section, string message)
    {
        var (definition, target) = Section(section);
        Assert.Contains(message, Assert.Throws<FormatException>(() => ProbeSections.ParseKprobe(definition, target)).Message);
    }

    [Theory]
    [InlineData("kprobe/do_nanosleep", true)]
    [InlineData("kretprobe/do_nanosleep", true)]
    [InlineData("ksyscall/getppid", true)]
    [InlineData("kretsyscall/getppid", true)]
    [InlineData("kprobe.multi/do_*", true)]
    [InlineData("uprobe/libc.so.6:getppid", true)]
    [InlineData("uprobe.s/libc.so.6:getppid", true)]
    [InlineData("uprobe.multi/libc.so.6:get*", true)]
    [InlineData("kprobe", false)]         // valid, but only the attach API can give it a target
    [InlineData("uprobe", false)]
    [InlineData("uprobe.multi", false)]
    [InlineData("usdt/libc.so.6:libc:setjmp", true)]
    [InlineData("usdt", false)]
    [InlineData("xdp", false)]
    [InlineData("tracepoint/syscalls/sys_enter_getppid", true)]
    public void AutoAttach(string section, bool expected)
    {
        var spec = new ProgramSpec("p", section, 1, 0, Array.Empty<BpfInstruction>(), SectionTable.Find(section), isSubprogram: false);
        Assert.Equal(expected, ProgramAttacher.CanAutoAttach(spec));
    }

    [Theory]
    [InlineData("10", true, 10ul)]
    [InlineData("0x1F", true, 31ul)]
    [InlineData("017", true, 15ul)]
    [InlineData("0", true, 0ul)]
    [InlineData("0x", false, 0ul)]
    [InlineData("09", false, 0ul)]
    [InlineData("abc", false, 0ul)]
    [InlineData("", false, 0ul)]
    public void CIntegers(string text, bool ok, ulong value)
    {
        Assert.Equal(ok, ProbeSections.TryParseCInteger(text, out ulong parsed));
        if (ok)
            Assert.Equal(value, parsed);
    }
}
