using System;
using System.IO;

namespace BpfSkeleton.Runtime.Tests.Infrastructure;

/// <summary>Locates the BPF objects that the build compiled from tests/bpf/*.bpf.c.</summary>
public static class TestObjects
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "bpf");

    /// <summary>tests/bpf/NAME.bpf.c compiles to bpf/NAME.bpf.o; NAME may be given with or without ".bpf".</summary>
    public static string PathOf(string name)
        => Path.Combine(Directory, name.EndsWith(".bpf", StringComparison.Ordinal) ? name + ".o" : name + ".bpf.o");

    public static byte[] Bytes(string name) => File.ReadAllBytes(PathOf(name));

    public static string[] All() => System.IO.Directory.GetFiles(Directory, "*.o");
}
