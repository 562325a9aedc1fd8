using System;
using System.IO;
using BpfSkeleton.Kernel;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Infrastructure;

/// <summary>The leak check the kernel tests rely on finds the leaks it is there for.</summary>
[Collection("Kernel")]
public class LeakCheckTests
{
    [KernelFact]
    public void AnOpenFdIsALeak()
    {
        var check = new LeakCheck();
        using var map = BpfMap.Create(new BpfMapCreateOptions { Type = BpfMapType.Array, KeySize = 4, ValueSize = 4, MaxEntries = 1, Name = "leak_fd" });
        var error = Assert.ThrowsAny<Exception>(check.AssertNothingLeaked);
        Assert.Contains("leaked BPF fds", error.Message);
    }

    [KernelFact]
    public void AnObjectKeptByNoFdOfAnyProcessIsALeakAndIsNamed()
    {
        var pin = $"/sys/fs/bpf/bpfsk_leakcheck_{Environment.ProcessId}";
        var check = new LeakCheck();
        using (var map = BpfMap.Create(new BpfMapCreateOptions { Type = BpfMapType.Array, KeySize = 4, ValueSize = 4, MaxEntries = 1, Name = "leak_pinned" }))
            map.Pin(pin); // the pin keeps it, as an attachment or registration would
        try
        {
            var error = Assert.ThrowsAny<Exception>(check.AssertNothingLeaked);
            Assert.Contains("leaked kernel objects", error.Message);
            Assert.Contains("leak_pinned, Array", error.Message);
        }
        finally
        {
            File.Delete(pin);
        }
    }
}
