using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using BpfSkeleton.Links;
using BpfSkeleton.Runtime.Tests.ObjectModel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Attach;

/// <summary>Bare library and program names resolve like the dynamic linker and libbpf resolve them.</summary>
public class ProbeTargetResolutionTests
{
    /// <summary>ldconfig -p lines: "\tlibc.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libc.so.6".</summary>
    private static List<(string Name, string Flags, string Path)> LdconfigEntries()
        => ExternalTool.Run("ldconfig", "-p").Split('\n')
            .Select(line => Regex.Match(line, @"^\s+(\S+) \(([^)]*)\) => (\S+)$"))
            .Where(m => m.Success)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value))
            .ToList();

    [Fact]
    public void LdSoCacheAgreesWithLdconfig()
    {
        var expected = LdconfigEntries();
        var actual = LdSoCache.Entries(File.ReadAllBytes(LdSoCache.DefaultPath)).ToList();
        Assert.Equal(expected.Select(e => (e.Name, e.Path)), actual.Select(e => (e.Name, e.Path)));
        foreach (var entry in expected.Where(e => e.Flags == "libc6,x86-64"))
            Assert.Equal(expected.First(e => e.Name == entry.Name && e.Flags == "libc6,x86-64").Path, LdSoCache.Find(entry.Name));
        Assert.Null(LdSoCache.Find("libdoes-not-exist.so.9"));
        Assert.Null(LdSoCache.Find("libc.so.6", "/nonexistent/ld.so.cache"));
    }

    [Fact]
    public void LibraryNamesResolveThroughTheCacheThenSearchPaths()
    {
        Assert.Equal(LdSoCache.Find("libc.so.6"), BinaryPaths.Resolve("libc.so.6"));

        string directory = Directory.CreateTempSubdirectory("bpfsk_libs").FullName;
        try
        {
            string library = Path.Combine(directory, "libbpfsk_fake.so.1");
            File.WriteAllBytes(library, Array.Empty<byte>());
            string? Environment(string name) => name == "LD_LIBRARY_PATH" ? "/nonexistent:" + directory : null;
            Assert.Equal(library, BinaryPaths.Resolve("libbpfsk_fake.so.1", Environment, "/nonexistent/ld.so.cache"));
            // Without LD_LIBRARY_PATH the standard directories are searched, and the error lists them.
            var e = Assert.Throws<BpfException>(() => BinaryPaths.Resolve("libbpfsk_fake.so.1", _ => null, "/nonexistent/ld.so.cache"));
            Assert.Equal("ENOENT", e.ErrnoName);
            Assert.Contains("/usr/lib64:/usr/lib", e.Message);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void ProgramNamesResolveThroughPath()
    {
        Assert.Equal("/usr/bin/bash", BinaryPaths.Resolve("bash", name => name == "PATH" ? "/nonexistent:/usr/bin" : null, LdSoCache.DefaultPath));
        Assert.Equal("/usr/bin/bash", BinaryPaths.Resolve("bash", _ => null, LdSoCache.DefaultPath));
        Assert.Equal("/usr/bin/bash", BinaryPaths.Resolve("/usr/bin/bash"));
        Assert.Equal("ENOENT", Assert.Throws<BpfException>(() => BinaryPaths.Resolve("/nonexistent/bin")).ErrnoName);
        Assert.True(BinaryPaths.IsLibraryName("libc.so.6"));
        Assert.True(BinaryPaths.IsLibraryName("libfoo.so"));
        Assert.False(BinaryPaths.IsLibraryName("bash"));
    }
}
