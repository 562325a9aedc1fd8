using System;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Loading;

/// <summary>A load that fails half-way releases every map, program and BTF object it created.</summary>
[Collection("Kernel")]
public class FailedLoadTests
{
    [KernelFact]
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

    [KernelFact]
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
