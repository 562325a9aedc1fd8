using System.Threading.Tasks;
using BpfSkeleton.Loading;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Loading;

/// <summary>A ring buffer size past 2 GiB (found by LoadPlanFuzzTests hanging: the rounding wrapped to 0) fails with the reason.</summary>
[Collection("Kernel")]
public class RingBufferSizeTests
{
    [KernelFact]
    public async Task ARingBufferPastTwoGibIsRefusedNotRoundedForever()
    {
        using var obj = BpfObject.Open(TestObjects.PathOf("ringbuf"));
        obj.Map("events").MaxEntries = (1u << 31) + 1;
        var plan = Task.Run(() => ObjectLoader.Run(obj, new LoadPlan(obj), new RecordingBackend()));
        Assert.True(await Task.WhenAny(plan, Task.Delay(30_000)) == plan, "planning the load did not finish");
        var error = await Assert.ThrowsAsync<BpfLoadException>(() => plan);
        Assert.Contains("ring buffer 'events'", error.Message);
        Assert.Contains("2 GiB", error.Message);
    }
}
