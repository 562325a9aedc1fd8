using System;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Loading;

/// <summary>A map or program without a kernel object says why: not loaded yet, disposed, a failed load, or left out.</summary>
[Collection("Kernel")]
public class MissingKernelObjectTests
{
    [KernelFact(BpfProgramType.Syscall)]
    public void EachReasonIsSaid()
    {
        var obj = BpfObject.Open(TestObjects.PathOf("globals"));
        KernelRefusals.LeaveOut(obj);
        Assert.Contains("call Load() first", Assert.Throws<InvalidOperationException>(() => obj.Map("counters").Map).Message);
        obj.Map("percpu").AutoCreate = false; // no program uses it
        obj.Program("on_getpid").AutoLoad = false;
        obj.Load();
        Assert.Contains("autocreate is off", Assert.Throws<InvalidOperationException>(() => obj.Map("percpu").Map).Message);
        Assert.Contains("autoload off", Assert.Throws<InvalidOperationException>(() => obj.Program("on_getpid").LoadedHandle).Message);
        obj.Dispose();
        Assert.Contains("disposed", Assert.Throws<ObjectDisposedException>(() => obj.Map("counters").Map).Message);
        Assert.Throws<ObjectDisposedException>(() => obj.Program("run_globals").LoadedHandle);

        using var failed = BpfObject.Open(TestObjects.PathOf("globals"));
        KernelRefusals.LeaveOut(failed);
        failed.Program("count_xdp").Flags |= Specs.ProgramFlags.Sleepable; // XDP cannot sleep: the load fails
        Assert.Throws<BpfVerifierException>(failed.Load);
        Assert.Contains("load failed", Assert.Throws<InvalidOperationException>(() => failed.Map("counters").Map).Message);
    }
}
