using System;
using System.IO;
using BpfSkeleton.Runtime.Tests.ObjectModel;

namespace BpfSkeleton.Runtime.Tests.Attach;

/// <summary>Builds Attach/native/probe_target.c into a shared library once per test run.</summary>
internal static class NativeProbeTarget
{
    /// <summary>How far -Ttext-segment moves the library's addresses away from its file offsets.</summary>
    public const ulong AddressShift = 0x200000;

    private static readonly Lazy<string> s_path = new(Build);

    public static string Path => s_path.Value;

    private static string Build()
    {
        string source = System.IO.Path.Combine(ExternalTool.RepoRoot, "tests", "Runtime.Tests", "Attach", "native", "probe_target.c");
        string directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"bpfsk_native_{Environment.ProcessId}");
        Directory.CreateDirectory(directory);
        string output = System.IO.Path.Combine(directory, "libbpfsk_probe_target.so");
        ExternalTool.Run("gcc", "-shared", "-fPIC", "-O2", "-g", $"-Wl,-Ttext-segment=0x{AddressShift:x}", "-o", output, source);
        return output;
    }
}
