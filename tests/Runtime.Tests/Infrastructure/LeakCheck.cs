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
        // The kernel frees closed programs and maps after an RCU grace period; give it a moment. A leak is what
        // was there at the first look and is still there two seconds later, held by no other process: objects of
        // processes that come and go meanwhile (the generator tests run beside these, and so may CI neighbours
        // or benchmarks) drop out of the intersection, and those another process holds are that process's.
        HashSet<uint> programs = [], maps = [];
        bool first = true;
        for (var attempt = 0; attempt < 40; attempt++)
        {
            var nowPrograms = BpfObjectIds.Programs().Where(id => !_programs.Contains(id));
            var nowMaps = BpfObjectIds.Maps().Where(id => !_maps.Contains(id));
            if (first) { programs.UnionWith(nowPrograms); maps.UnionWith(nowMaps); first = false; }
            else { programs.IntersectWith(nowPrograms); maps.IntersectWith(nowMaps); }
            if (programs.Count == 0 && maps.Count == 0) return;
            if (attempt % 10 == 9)
            {
                var (otherPrograms, otherMaps) = HeldByOtherProcesses();
                programs.ExceptWith(otherPrograms);
                maps.ExceptWith(otherMaps);
                if (programs.Count == 0 && maps.Count == 0) return;
            }
            System.Threading.Thread.Sleep(50);
        }
        if (programs.Count > 0 || maps.Count > 0)
            throw new Xunit.Sdk.XunitException($"leaked kernel objects: programs [{Describe(programs, programs: true)}], maps [{Describe(maps, programs: false)}]");
    }

    /// <summary>
    /// Program and map ids behind other processes' BPF fds (prog, map and link fds name them in fdinfo), and what
    /// those objects hold in turn.
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
        // What another process's objects hold is that process's too, though it may hold no fd of it: the maps its
        // programs use, the programs in its prog arrays, the maps in its maps of maps.
        var programQueue = new Queue<uint>(programs);
        var mapQueue = new Queue<uint>(maps);
        while (programQueue.Count > 0 || mapQueue.Count > 0)
        {
            if (programQueue.TryDequeue(out var program))
                foreach (var map in MapsOf(program))
                    if (maps.Add(map)) mapQueue.Enqueue(map);
            if (mapQueue.TryDequeue(out var held))
                foreach (var (id, isProgram) in ObjectsIn(held))
                    if (isProgram ? programs.Add(id) : maps.Add(id))
                        (isProgram ? programQueue : mapQueue).Enqueue(id);
        }
        return (programs, maps);
    }

    private static uint[] MapsOf(uint program)
    {
        try
        {
            using var handle = BpfProgramHandle.FromId(program);
            return handle.GetMapIds();
        }
        catch (BpfException) { return []; } // freed meanwhile
    }

    /// <summary>The program ids in a prog array, the map ids in a map of maps (what a lookup from user space returns).</summary>
    private static List<(uint Id, bool IsProgram)> ObjectsIn(uint mapId)
    {
        var found = new List<(uint, bool)>();
        try
        {
            using var map = BpfMap.FromId(mapId);
            bool programs = map.Type == BpfMapType.ProgArray;
            if (!programs && map.Type is not (BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps)) return found;
            if (map.KeySize != 4) return found;
            foreach (var key in map.Keys<uint>())
                if (map.TryLookup(key, out uint id))
                    found.Add((id, programs));
        }
        catch (BpfException) { } // freed meanwhile
        return found;
    }

    /// <summary>"id (name, type)" for each id still open by id: what a leak report needs to be traced.</summary>
    private static string Describe(IEnumerable<uint> ids, bool programs) => string.Join(", ", ids.Select(id =>
    {
        try
        {
            if (programs)
            {
                using var handle = BpfProgramHandle.FromId(id);
                var info = handle.GetInfo();
                return $"{id} ({info.Name}, {info.Type})";
            }
            using var map = BpfMap.FromId(id);
            return $"{id} ({map.Name}, {map.Type})";
        }
        catch (BpfException) { return $"{id} (freed since)"; }
    }));

    private static string? ReadLink(string fd)
    {
        try { return new FileInfo($"/proc/self/fd/{fd}").LinkTarget; }
        catch (IOException) { return null; }
    }
}
