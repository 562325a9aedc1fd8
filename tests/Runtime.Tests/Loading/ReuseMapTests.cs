using System;
using System.Linq;
using BpfSkeleton.Kernel;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Loading;

/// <summary>One object's programs use another's map when told to (libbpf's bpf_map__reuse_fd), on the real kernel.</summary>
[Collection("Kernel")]
public class ReuseMapTests
{
    [KernelFact(BpfProgramType.Syscall)]
    public void ProgramsOfTheSecondObjectWriteTheFirstObjectsMap()
    {
        using var owner = BpfObject.Open(TestObjects.PathOf("globals"));
        KernelRefusals.LeaveOut(owner);
        owner.Load();
        var counters = owner.Map("counters").Map;

        using (var user = BpfObject.Open(TestObjects.PathOf("globals")))
        {
            KernelRefusals.LeaveOut(user);
            user.Map("counters").ReuseMap(counters);
            user.Load();
            Assert.Equal(counters.Id, user.Map("counters").Map.Id);
            Assert.NotEqual(owner.Map("points").Map.Id, user.Map("points").Map.Id); // only the one map is shared

            user.Program("run_globals").TestRun();
            Assert.Equal(1ul, counters.Lookup<uint, ulong>(0)); // run_globals counts in counters[0]
            user.Program("run_globals").TestRun();
        }
        // The second object had its own descriptor: the map lives on with the first, and kept both runs.
        Assert.Equal(2ul, counters.Lookup<uint, ulong>(0));
    }

    [KernelFact(BpfProgramType.Syscall)]
    public void TheObjectKeepsItsOwnDescriptor()
    {
        using var user = BpfObject.Open(TestObjects.PathOf("globals"));
        KernelRefusals.LeaveOut(user);
        uint id;
        using (var owner = BpfObject.Open(TestObjects.PathOf("globals")))
        {
            KernelRefusals.LeaveOut(owner);
            owner.Load();
            id = owner.Map("counters").Map.Id;
            user.Map("counters").ReuseMap(owner.Map("counters").Map);
        }
        user.Load();
        Assert.Equal(id, user.Map("counters").Map.Id);
        user.Program("run_globals").TestRun();
        Assert.Equal(1ul, user.Map("counters").Map.Lookup<uint, ulong>(0));
    }

    [KernelFact]
    public void AMapOfAnotherDefinitionIsRefusedAndNothingLeaks()
    {
        using var other = BpfMap.Create(new BpfMapCreateOptions
        {
            Type = BpfMapType.Array, Name = "other", KeySize = 4, ValueSize = 8, MaxEntries = 8,
        });
        var leaks = new LeakCheck();
        using (var user = BpfObject.Open(TestObjects.PathOf("globals")))
        {
            user.Map("counters").ReuseMap(other);
            var error = Assert.Throws<BpfLoadException>(user.Load);
            Assert.Contains("map 'counters' cannot reuse map 'other'", error.Message);
            Assert.Contains("max_entries 8 vs 4", error.Message);
        }
        leaks.AssertNothingLeaked();
        Assert.Equal(0ul, other.Lookup<uint, ulong>(0)); // the caller's map is untouched and still open
    }

    [KernelFact]
    public void PinPathPinsAnyMapAndTheNextObjectReusesIt()
    {
        using var pins = new TempPinDirectory();
        string directory = pins.Path;
        string path = System.IO.Path.Combine(directory, "shared_counters");
        using var first = BpfObject.Open(TestObjects.PathOf("globals"));
        KernelRefusals.LeaveOut(first);
        Assert.Null(first.Map("counters").PinPath); // not declared pinned
        first.Map("counters").PinPath = path;
        first.Load();
        Assert.True(System.IO.File.Exists(path));

        using var second = BpfObject.Open(TestObjects.PathOf("globals"));
        KernelRefusals.LeaveOut(second);
        second.Map("counters").PinPath = path;
        second.Load();
        Assert.Equal(first.Map("counters").Map.Id, second.Map("counters").Map.Id);
        Assert.NotEqual(first.Map("points").Map.Id, second.Map("points").Map.Id);

        // A map declared LIBBPF_PIN_BY_NAME defaults to PinRoot/name; null turns pinning off.
        using var declared = BpfObject.Open(TestObjects.PathOf("maps"), new BpfOpenOptions { PinRoot = directory });
        KernelRefusals.LeaveOut(declared);
        var pinned = declared.Maps.Single(m => m.Spec.Pinning == Specs.MapPinning.ByName);
        Assert.Equal(System.IO.Path.Combine(directory, pinned.Name), pinned.PinPath);
        pinned.PinPath = null;
        foreach (var program in declared.Programs) // maps.bpf.o's LSM program, where the kernel refuses LSM
            if (program.Type == BpfProgramType.Lsm && !FeatureProbes.LsmPrograms.Supported)
                program.AutoLoad = false;
        declared.Load();
        Assert.False(System.IO.File.Exists(System.IO.Path.Combine(directory, pinned.Name)));
    }

    [KernelFact]
    public void StructOpsMapsCannotReuse()
    {
        using var other = BpfMap.Create(new BpfMapCreateOptions
        {
            Type = BpfMapType.Array, Name = "other", KeySize = 4, ValueSize = 8, MaxEntries = 1,
        });
        using var obj = BpfObject.Open(TestObjects.PathOf("dummy_ops"));
        var structOps = obj.StructOpsMaps[0];
        Assert.Throws<InvalidOperationException>(() => structOps.Map.ReuseMap(other));
    }
}
