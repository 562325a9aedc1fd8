using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BpfSkeleton.Kernel;

namespace BpfSkeleton.Runtime.Tests.Infrastructure;

/// <summary>Snapshots this process's fds and the kernel's BPF program and map ids, to prove nothing leaked.</summary>
public sealed class LeakCheck
{
    private readonly HashSet<string> _fds = OpenFds();
    private readonly HashSet<uint> _programs = BpfObjectIds.Programs().ToHashSet();
    private readonly HashSet<uint> _maps = BpfObjectIds.Maps().ToHashSet();

    private static HashSet<string> OpenFds() => Directory.GetFiles("/proc/self/fd").Select(Path.GetFileName).ToHashSet()!;

    /// <summary>Fds opened and programs/maps created since the snapshot (programs of other processes may race in).</summary>
    public void AssertNothingLeaked()
    {
        var fds = OpenFds().Except(_fds).Where(fd => File.Exists($"/proc/self/fd/{fd}") &&
            (ReadLink(fd)?.Contains("bpf") ?? false)).ToList();
        if (fds.Count > 0) throw new Xunit.Sdk.XunitException($"leaked BPF fds: {string.Join(", ", fds.Select(fd => fd + " -> " + ReadLink(fd)))}");
        // The kernel frees closed programs and maps after an RCU grace period; give it a moment.
        // Objects another process holds are that process's (the generator tests run beside these, and so may
        // CI neighbours): only what nobody else holds can be this test's leak.
        List<uint> programs = new(), maps = new();
        for (var attempt = 0; attempt < 40; attempt++)
        {
            programs = BpfObjectIds.Programs().Where(id => !_programs.Contains(id)).ToList();
            maps = BpfObjectIds.Maps().Where(id => !_maps.Contains(id)).ToList();
            if (programs.Count == 0 && maps.Count == 0) return;
            if (programs.Count + maps.Count > 0 && attempt % 10 == 9)
            {
                var (otherPrograms, otherMaps) = HeldByOtherProcesses();
                programs.RemoveAll(otherPrograms.Contains);
                maps.RemoveAll(otherMaps.Contains);
                if (programs.Count == 0 && maps.Count == 0) return;
            }
            System.Threading.Thread.Sleep(50);
        }
        if (programs.Count > 0 || maps.Count > 0)
            throw new Xunit.Sdk.XunitException($"leaked kernel objects: programs [{string.Join(", ", programs)}], maps [{string.Join(", ", maps)}]");
    }

    /// <summary>
    /// Program and map ids behind other processes' BPF fds (prog, map and link fds name them in fdinfo), and the
    /// maps those programs use.
    /// </summary>
    private static (HashSet<uint> Programs, HashSet<uint> Maps) HeldByOtherProcesses()
    {
        var programs = new HashSet<uint>();
        var maps = new HashSet<uint>();
        string self = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var process in Directory.EnumerateDirectories("/proc"))
        {
            string pid = Path.GetFileName(process);
            if (pid == self || !pid.All(char.IsAsciiDigit)) continue;
            IEnumerable<string> fdinfos;
            try { fdinfos = Directory.GetFiles(Path.Combine(process, "fdinfo")); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; } // exited meanwhile
            foreach (var fdinfo in fdinfos)
            {
                string[] lines;
                try { lines = File.ReadAllLines(fdinfo); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
                foreach (var line in lines)
                {
                    if (line.StartsWith("prog_id:", StringComparison.Ordinal) && uint.TryParse(line.AsSpan(8).Trim(), out var program))
                        programs.Add(program);
                    else if (line.StartsWith("map_id:", StringComparison.Ordinal) && uint.TryParse(line.AsSpan(7).Trim(), out var map))
                        maps.Add(map);
                }
            }
        }
        // A map another process's program uses is that process's too, though it may hold no fd of the map.
        foreach (var program in programs)
        {
            try
            {
                using var handle = BpfProgramHandle.FromId(program);
                maps.UnionWith(handle.GetMapIds());
            }
            catch (BpfException) { } // freed meanwhile
        }
        return (programs, maps);
    }

    private static string? ReadLink(string fd)
    {
        try { return new FileInfo($"/proc/self/fd/{fd}").LinkTarget; }
        catch (IOException) { return null; }
    }
}
