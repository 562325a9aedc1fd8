using System;
using System.IO;

namespace BpfSkeleton.Runtime.Tests.Infrastructure;

/// <summary>Locates the BPF objects that the build compiled from tests/bpf/*.bpf.c.</summary>
public static class TestObjects
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "bpf");

    public static string PathOf(string name) => Path.Combine(Directory, name + ".bpf.o");

    public static byte[] Bytes(string name) => File.ReadAllBytes(PathOf(name));

    public static string[] All() => System.IO.Directory.GetFiles(Directory, "*.o");
}
