using System;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Loading;

/// <summary>Per-program verifier logs and load flags, as libbpf's bpf_program__set_log_level/set_flags, on the real kernel.</summary>
[Collection("Kernel")]
public class VerifierLogTests
{
    [KernelFact(BpfProgramType.Syscall, BpfProgramType.Tracepoint)]
    public void ALogLevelKeepsTheLogOfASuccessfulLoad()
    {
        using var obj = BpfObject.Open(TestObjects.PathOf("globals"));
        KernelRefusals.LeaveOut(obj);
        obj.Program("run_globals").LogLevel = 4; // BPF_LOG_STATS
        obj.Load();
        Assert.Contains("processed", obj.Program("run_globals").VerifierLog);
        Assert.Contains("insns", obj.Program("run_globals").VerifierLog);
        Assert.Null(obj.Program("on_getpid").VerifierLog); // level 0: no log on success
    }

    [KernelFact(BpfProgramType.Syscall)]
    public void AFailedLoadIsExplainedAtTheObjectsLogLevel()
    {
        string Log(uint level)
        {
            using var obj = BpfObject.Open(TestObjects.PathOf("verifier_reject"), new BpfOpenOptions { VerifierLogLevel = level });
            return Assert.Throws<BpfVerifierException>(obj.Load).VerifierLog;
        }
        string basic = Log(1), verbose = Log(2);
        Assert.Contains("map_value_or_null", basic);
        Assert.Contains("map_value_or_null", verbose);
        // Level 2 prints every instruction's register state, level 1 only at branches and calls.
        Assert.True(verbose.Length > basic.Length, $"level 2 log ({verbose.Length} chars) is longer than level 1 ({basic.Length})");
    }

    [KernelFact(BpfProgramType.Syscall, BpfProgramType.Xdp)]
    public void FlagsReachTheKernel()
    {
        var leaks = new LeakCheck();
        using (var obj = BpfObject.Open(TestObjects.PathOf("globals")))
        {
            KernelRefusals.LeaveOut(obj);
            Assert.Equal(Specs.ProgramFlags.Sleepable, obj.Program("run_globals").Flags); // SEC("syscall") is sleepable
            // XDP runs in softirq and can never sleep (tracepoints could, on newer kernels): the kernel must refuse the flag.
            obj.Program("count_xdp").Flags |= Specs.ProgramFlags.Sleepable;
            var error = Assert.Throws<BpfVerifierException>(obj.Load);
            Assert.Contains("count_xdp", error.Message);
            Assert.Contains("sleepable", error.VerifierLog, StringComparison.OrdinalIgnoreCase);
        }
        leaks.AssertNothingLeaked();
    }
}
