using System;
using System.IO;
using BpfSkeleton.Kernel;
using BpfSkeleton.Runtime.Tests.ObjectModel;

namespace BpfSkeleton.Runtime.Tests.Infrastructure;

/// <summary>
/// An object loaded by Debian's bpftool (libbpf 1.1: `bpftool prog loadall`), its programs pinned in
/// a fresh bpffs directory that Dispose removes: the side-by-side reference for what libbpf makes of
/// an object (translated code, BTF, maps).
/// </summary>
internal sealed class LibbpfLoad : IDisposable
{
    public LibbpfLoad(string objectPath)
    {
        PinDirectory = Path.Combine("/sys/fs/bpf", $"bpfskeleton-libbpf-{Guid.NewGuid():N}");
        try
        {
            ExternalTool.Run("bpftool", "prog", "loadall", objectPath, PinDirectory);
        }
        catch
        {
            Dispose(); // a failed loadall can leave the programs it pinned before failing
            throw;
        }
    }

    public string PinDirectory { get; }

    public string PinOf(string program) => Path.Combine(PinDirectory, program);

    /// <summary>Whether libbpf loaded (and so pinned) <paramref name="program"/>.</summary>
    public bool Loaded(string program) => File.Exists(PinOf(program));

    public BpfProgramHandle Open(string program) => BpfProgramHandle.FromPinned(PinOf(program));

    public void Dispose()
    {
        if (Directory.Exists(PinDirectory))
            Directory.Delete(PinDirectory, recursive: true);
    }
}
