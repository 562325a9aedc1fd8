using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Loading;

/// <summary>
/// map_types.bpf.o on the real kernel: the arena is mapped at load so its programs verify and share
/// memory with C#, a __ulong map_extra reaches the kernel, and the cgroup storages count traffic.
/// </summary>
[Collection("Kernel")]
public class MapTypesLoadTests
{
    private const ulong FixedArenaAddress = 0x5a00_0000_0000; // 4 GiB aligned, far from where the runtime maps things

    [KernelFact(BpfMapType.Arena, BpfProgramType.Syscall)]
    public unsafe void ArenaIsMappedAtLoadAndProgramsWriteIntoIt()
    {
        using var obj = BpfObject.Open(TestObjects.PathOf("map_types"));
        KernelRefusals.LeaveOut(obj);
        obj.Load();
        var arena = obj.Map("arena").ArenaMemory;
        Assert.Equal(4L * Environment.SystemPageSize, arena.LongLength);
        Assert.True(arena.IsWritable);

        Assert.Equal(0u, obj.Program("arena_write").TestRun().ReturnValue);

        // The program stored its page's user address: it lies in our mapping and holds what it wrote.
        ulong page = Bss(obj, "arena_page");
        ulong start = (ulong)arena.Pointer;
        Assert.InRange(page, start, start + (ulong)arena.LongLength - 8);
        var words = MemoryMarshal.Cast<byte, uint>(arena.ReadOnlySpan.Slice((int)(page - start), 8));
        Assert.Equal(0xa7e4au, words[0]);
        Assert.Equal(42u, words[1]);

        // Mapped once, an arena maps only at that address: a second mapping anywhere else is refused, saying why.
        var error = Assert.Throws<BpfException>(() => obj.Map("arena").Map.MemoryMap());
        Assert.Contains("one user address", error.Message);
    }

    [KernelFact(BpfMapType.Arena, BpfProgramType.Syscall)]
    public unsafe void ArenaGoesWhereMapExtraSaysAndNeverOverAnotherMapping()
    {
        using var first = BpfObject.Open(TestObjects.PathOf("map_types"));
        KernelRefusals.LeaveOut(first);
        first.Map("arena").MapExtra = FixedArenaAddress;
        first.Load();
        Assert.Equal(FixedArenaAddress, (ulong)first.Map("arena").ArenaMemory.Pointer);
        Assert.Equal(FixedArenaAddress, first.Map("arena").Map.Info.MapExtra);
        Assert.Equal(0u, first.Program("arena_write").TestRun().ReturnValue);
        Assert.InRange(Bss(first, "arena_page"), FixedArenaAddress, FixedArenaAddress + 4ul * (ulong)Environment.SystemPageSize);

        // A second arena at the same address would replace the first one's pages in this process: refused, and nothing leaks.
        var leaks = new LeakCheck();
        using (var second = BpfObject.Open(TestObjects.PathOf("map_types")))
        {
            KernelRefusals.LeaveOut(second);
            second.Map("arena").MapExtra = FixedArenaAddress;
            var error = Assert.Throws<BpfException>(second.Load);
            Assert.Equal(17, error.Errno); // EEXIST
            Assert.Contains("already mapped", error.Message);
            Assert.Contains("arena", error.Message);
        }
        leaks.AssertNothingLeaked();
        Assert.Equal(0xa7e4au, MemoryMarshal.Read<uint>(new ReadOnlySpan<byte>((void*)(Bss(first, "arena_page")), 4)));
    }

    [KernelFact(BpfMapType.Arena, BpfProgramType.Syscall)]
    public unsafe void ArenaGlobalsStartAsSetBeforeLoadAndLiveAtTheArenasEnd()
    {
        using var obj = BpfObject.Open(TestObjects.PathOf("map_types"));
        KernelRefusals.LeaveOut(obj);
        var counter = obj.Spec.ArenaGlobals!.FindVariable("arena_counter")!;
        Assert.Equal(7ul, obj.ArenaGlobals!.Read<ulong>(counter.Offset));
        obj.ArenaGlobals!.Write(counter.Offset, 40ul);
        obj.Load();

        Assert.Equal(0u, obj.Program("arena_global").TestRun().ReturnValue);
        Assert.Equal(41ul, Bss(obj, "arena_counter_seen"));
        Assert.Equal(41ul, obj.ArenaGlobals!.Read<ulong>(counter.Offset));

        // As libbpf places them: in the arena's last page, so offset 0 (a NULL arena pointer) holds nothing.
        var arena = obj.Map("arena").ArenaMemory;
        ulong lastPage = (ulong)arena.Pointer + (ulong)arena.LongLength - (ulong)Environment.SystemPageSize;
        Assert.Equal(lastPage + (ulong)counter.Offset, Bss(obj, "arena_counter_address"));
        Assert.Equal(arena.LongLength - Environment.SystemPageSize, obj.ArenaGlobals!.Offset);

        // C# writes are what the program reads next.
        obj.ArenaGlobals!.Write(counter.Offset, 99ul);
        obj.Program("arena_global").TestRun();
        Assert.Equal(100ul, Bss(obj, "arena_counter_seen"));
    }

    [KernelFact(BpfMapType.Arena, BpfProgramType.Syscall)]
    public void AReusedArenaKeepsItsGlobalsAndTheSecondObjectsProgramsUseThem()
    {
        using var owner = BpfObject.Open(TestObjects.PathOf("map_types"));
        KernelRefusals.LeaveOut(owner);
        owner.Load();
        var counter = owner.Spec.ArenaGlobals!.FindVariable("arena_counter")!;

        using var user = BpfObject.Open(TestObjects.PathOf("map_types"));
        KernelRefusals.LeaveOut(user);
        user.Map("arena").ReuseMap(owner.Map("arena").Map);
        user.ArenaGlobals!.Write(counter.Offset, 1000ul); // not copied: a reused arena keeps what it holds
        user.Load();
        Assert.Equal(owner.ArenaGlobals!.Offset, user.ArenaGlobals.Offset);

        user.Program("arena_global").TestRun();
        Assert.Equal(8ul, owner.ArenaGlobals.Read<ulong>(counter.Offset)); // the owner's 7, bumped by the user's program
        Assert.Throws<InvalidOperationException>(() => user.ArenaGlobals.Read<ulong>(counter.Offset)); // the user never mapped it
    }

    [KernelFact(BpfMapType.Arena)]
    public unsafe void ArenaIsUnmappedWhenTheObjectIsDisposed()
    {
        var obj = BpfObject.Open(TestObjects.PathOf("map_types"));
        KernelRefusals.LeaveOut(obj);
        obj.Load();
        var arena = obj.Map("arena").ArenaMemory;
        ulong start = (ulong)arena.Pointer;
        Assert.True(IsMapped(start), "the loaded arena shows in /proc/self/maps");
        obj.Dispose();
        Assert.True(arena.IsClosed);
        Assert.False(IsMapped(start));
    }

    [KernelFact(BpfMapType.BloomFilter)]
    public void UlongMapExtraReachesTheKernel()
    {
        using var obj = BpfObject.Open(TestObjects.PathOf("map_types"));
        Assert.Equal(5ul, obj.Map("bloom_ulong").MapExtra);
        KernelRefusals.LeaveOut(obj);
        obj.Load();
        Assert.Equal(5ul, obj.Map("bloom_ulong").Map.Info.MapExtra);
    }

    [KernelFact(BpfMapType.CgroupStorage, BpfMapType.PerCpuCgroupStorage, BpfProgramType.CgroupSkb)]
    public void CgroupStoragesCountTheAttachedCgroupsEgress()
    {
        const int Datagrams = 3;
        using var obj = BpfObject.Open(TestObjects.PathOf("map_types"));
        KernelRefusals.LeaveOut(obj);
        obj.Load();
        using var cgroup = TestCgroup.Create("storage");
        using (obj.Program("count_egress").AttachCgroup(cgroup.Path))
            cgroup.RunInside($"for i in $(seq {Datagrams}); do echo x > /dev/udp/127.0.0.1/9; done");

        // One element per (cgroup, attach type), keyed by struct bpf_cgroup_storage_key.
        var shared = obj.Map("cg_storage").Map;
        var key = Assert.Single(KeysOf<CgroupStorageKey>(shared));
        Assert.Equal(1u, key.AttachType); // BPF_CGROUP_INET_EGRESS
        Assert.Equal((ulong)Datagrams, shared.Lookup<CgroupStorageKey, ulong>(key));

        // The per-CPU storage uses the plain cgroup id as its key; its CPUs' counts add up to the same.
        var perCpu = obj.Map("cg_percpu_storage").Map;
        Assert.Equal(key.CgroupInodeId, Assert.Single(KeysOf<ulong>(perCpu)));
        var counts = new ulong[PossibleCpus.Count];
        Assert.True(perCpu.TryLookupPerCpu(key.CgroupInodeId, counts.AsSpan()));
        Assert.Equal((ulong)Datagrams, counts.Aggregate(0ul, (sum, count) => sum + count));
    }

    [KernelFact(BpfMapType.DevMapHash, BpfMapType.BloomFilter)]
    public void PinnedMapsAreReusedAsLibbpfComparesThem()
    {
        using var pins = new TempPinDirectory();
        var options = new BpfOpenOptions { PinRoot = pins.Path };
        using var first = OpenPinned(options);
        first.Load();

        // The kernel adds BPF_F_RDONLY_PROG to a devmap's flags; that alone is no mismatch.
        Assert.True((first.Map("devmap_hash").Map.Flags & BpfMapFlags.ReadOnlyProgram) != 0);
        using (var second = OpenPinned(options))
        {
            second.Load();
            Assert.Equal(first.Map("devmap_hash").Map.Id, second.Map("devmap_hash").Map.Id);
            Assert.Equal(first.Map("bloom_ulong").Map.Id, second.Map("bloom_ulong").Map.Id);
        }

        using var third = OpenPinned(options);
        third.Map("bloom_ulong").MapExtra = 6;
        var error = Assert.Throws<BpfLoadException>(third.Load);
        Assert.Contains("map 'bloom_ulong' is pinned", error.Message);
        Assert.Contains("map_extra 0x5 vs 0x6", error.Message);
    }

    private static BpfObject OpenPinned(BpfOpenOptions options)
    {
        var obj = BpfObject.Open(TestObjects.PathOf("map_types"), options);
        KernelRefusals.LeaveOut(obj);
        obj.Map("devmap_hash").Spec.Pinning = Specs.MapPinning.ByName;
        obj.Map("bloom_ulong").Spec.Pinning = Specs.MapPinning.ByName;
        return obj;
    }

    [KernelFact(BpfMapType.ReusePortSockArray)]
    public void SpinLockedValuesAreCopiedUnderTheirLock()
    {
        using var obj = BpfObject.Open(TestObjects.PathOf("map_types"));
        KernelRefusals.LeaveOut(obj);
        obj.Load();
        var locked = obj.Map("locked").Map;
        locked.Update(1u, new LockedValue { Count = 5 }, BpfMapUpdateFlags.Lock);
        Assert.True(locked.TryLookup(1u, out LockedValue value, BpfMapLookupFlags.Lock));
        Assert.Equal(5ul, value.Count);
        Assert.False(locked.TryLookup(2u, out value, BpfMapLookupFlags.Lock));

        // BPF_F_LOCK on a value without a spin lock is the kernel's EINVAL, reported as such.
        var plain = obj.Map("reuseport").Map;
        Assert.False(plain.TryLookup(0u, out ulong _)); // without the flag: just no socket in slot 0
        var error = Assert.Throws<BpfException>(() => plain.TryLookup(0u, out ulong _, BpfMapLookupFlags.Lock));
        Assert.Equal(22, error.Errno);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct LockedValue
    {
        private uint _lock;
        private uint _padding;
        public ulong Count;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CgroupStorageKey
    {
        public ulong CgroupInodeId;
        public uint AttachType;
        private uint _padding;
    }

    private static ulong Bss(BpfObject obj, string variable) => MemoryMarshal.Read<ulong>(obj.GlobalDataSection(".bss").Variable(variable));

    private static System.Collections.Generic.List<TKey> KeysOf<TKey>(BpfMap map) where TKey : unmanaged
    {
        var keys = new System.Collections.Generic.List<TKey>();
        foreach (var key in map.Keys<TKey>())
            keys.Add(key);
        return keys;
    }

    private static bool IsMapped(ulong start)
        => File.ReadLines("/proc/self/maps").Any(line => Convert.ToUInt64(line[..line.IndexOf('-')], 16) == start);
}
