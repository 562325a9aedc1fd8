using System.Linq;
using BpfSkeleton.Links;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Usdt;

/// <summary>/proc/PID/maps parsing for USDT on kernels without BPF cookies (spec found by instruction pointer).</summary>
public class ProcessMappingsTests
{
    private const string Maps =
        "55d0c0000000-55d0c0001000 r--p 00000000 08:01 42    /opt/app/bin\n" +
        "55d0c0001000-55d0c0002000 r-xp 00001000 08:01 42    /opt/app/bin\n" +
        "55d0c0003000-55d0c0004000 rw-p 00002000 08:01 42    /opt/app/bin\n" +
        "7f0000000000-7f0000001000 r-xp 00000000 08:01 43    /opt/app/bin.other\n" +
        "7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0     [stack]\n";

    [Fact]
    public void OnlyExecutableMappingsOfTheFile()
    {
        var mapping = Assert.Single(ProcessMappings.ExecutableMappings(Maps, "/opt/app/bin").ToList());
        Assert.Equal(new ProcessMappings.Mapping(0x55d0c0001000, 0x55d0c0002000, 0x1000), mapping);
    }

    [Fact]
    public void RealPathResolvesDirectoryLinks()
    {
        string directory = System.IO.Directory.CreateTempSubdirectory("bpfsk_realpath").FullName;
        try
        {
            System.IO.Directory.CreateDirectory(System.IO.Path.Combine(directory, "real"));
            System.IO.File.WriteAllText(System.IO.Path.Combine(directory, "real", "file"), "");
            System.IO.Directory.CreateSymbolicLink(System.IO.Path.Combine(directory, "link"), "real");
            System.IO.File.CreateSymbolicLink(System.IO.Path.Combine(directory, "real", "alias"), "file");
            Assert.Equal(System.IO.Path.Combine(ProcessMappings.RealPath(directory), "real", "file"),
                ProcessMappings.RealPath(System.IO.Path.Combine(directory, "link", "alias")));
        }
        finally
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void ThisProcessRunsItsOwnCodeWhereMapsSays()
    {
        // libc's first executable mapping in this process: the address of its first byte.
        string maps = System.IO.File.ReadAllText("/proc/self/maps");
        string libc = LdSoCache.Find("libc.so.6")!;
        var first = ProcessMappings.ExecutableMappings(maps, ProcessMappings.RealPath(libc)).First();
        Assert.Equal(first.Start, ProcessMappings.AddressOf(System.Environment.ProcessId, libc, first.FileOffset));
    }
}
