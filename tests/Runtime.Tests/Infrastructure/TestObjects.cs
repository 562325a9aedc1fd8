using System;
using System.IO;

namespace BpfSkeleton.Runtime.Tests.Infrastructure;

/// <summary>Locates the BPF objects that the build compiled from tests/bpf/*.bpf.c.</summary>
public static class TestObjects
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "bpf");

    /// <summary>The build names objects after their source: tests/bpf/NAME.bpf.c becomes bpf/NAME.bpf.o.</summary>
    public static string PathOf(string name) => Path.Combine(Directory, name.EndsWith(".o", StringComparison.Ordinal) ? name : name + ".bpf.o");

    public static byte[] Bytes(string name) => File.ReadAllBytes(PathOf(name));

    public static string[] All() => System.IO.Directory.GetFiles(Directory, "*.o");

    /// <summary>Opens and loads a test object as it is; a failed load disposes it.</summary>
    public static BpfObject Load(string name)
    {
        var obj = BpfObject.Open(PathOf(name));
        try
        {
            obj.Load();
            return obj;
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }
}
