using System;
using BpfSkeleton.Interop;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Loading;

/// <summary>A load that fails half-way releases every map, program and BTF object it created.</summary>
[Collection("Kernel")]
public class FailedLoadTests
{
    /// <summary>
    /// The LSM probe that decides which programs other tests leave unloaded agrees with a real load of
    /// maps.bpf.o's LSM program: where it says refused (this kernel: EPERM as root), the load fails
    /// saying why and leaves nothing behind; where it says supported, the program loads.
    /// </summary>
    [KernelFact(BpfMapType.SkStorage)]
    public void LsmProgramsLoadExactlyWhereTheProbeSaysSo()
    {
        var leaks = new LeakCheck();
        using (var obj = BpfObject.Open(TestObjects.PathOf("maps")))
        {
            KernelRefusals.LeaveOut(obj);
            foreach (var program in obj.Programs)
                program.AutoLoad = program.Name == "on_bind";
            if (FeatureProbes.LsmPrograms.Supported)
            {
                obj.Load();
                Assert.True(obj.Program("on_bind").IsLoaded);
            }
            else
            {
                // Refused as the probe was (EPERM here: a kernel policy, which both must say), naming the program.
                var error = Assert.ThrowsAny<BpfException>(obj.Load);
                Assert.Contains(error.ErrnoName, FeatureProbes.LsmPrograms.Reason);
                Assert.Contains("on_bind", error.Message);
                if (error.Errno == 1)
                {
                    Assert.IsType<BpfPermissionException>(error);
                    Assert.Contains("refused although running as root", error.Message);
                    Assert.Contains("EPERM: refused although running as root", FeatureProbes.LsmPrograms.Reason);
                }
            }
        }
        leaks.AssertNothingLeaked();
    }

    [KernelFact(BpfProgramType.Syscall)]
    public void VerifierRejectionCarriesTheReasonAndLeaksNothing()
    {
        var leaks = new LeakCheck();
        using (var obj = BpfObject.Open(TestObjects.PathOf("verifier_reject")))
        {
            var error = Assert.Throws<BpfVerifierException>(obj.Load);
            Assert.Contains("rejected", error.Message);
            Assert.Contains("map_value_or_null", error.VerifierLog);
            Assert.False(string.IsNullOrWhiteSpace(error.Summary));
            Assert.Equal(BpfObjectState.Failed, obj.State);
            Assert.False(obj.Map("values").IsCreated);
            Assert.False(obj.Program("accepted").IsLoaded);
            Assert.Throws<InvalidOperationException>(obj.Load);
        }
        leaks.AssertNothingLeaked();
    }

    [KernelFact(BpfProgramType.Syscall)]
    public void DisablingTheBadProgramLetsTheRestLoad()
    {
        var leaks = new LeakCheck();
        using (var obj = BpfObject.Open(TestObjects.PathOf("verifier_reject")))
        {
            obj.Program("rejected").AutoLoad = false;
            obj.Load();
            obj.Program("accepted").TestRun();
            Assert.Equal(2ul, obj.GlobalDataSection(".data").Read<ulong>(0));
        }
        leaks.AssertNothingLeaked();
    }
}
