using System;
using System.IO;

namespace BpfSkeleton.Runtime.Tests.Kernel;

/// <summary>A directory of the test's own under /sys/fs/bpf for pins, removed with everything pinned in it.</summary>
internal sealed class TempPinDirectory : IDisposable
{
    public TempPinDirectory()
    {
        Path = $"/sys/fs/bpf/bpfsk_test_{Environment.ProcessId}_{Guid.NewGuid():N}";
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
