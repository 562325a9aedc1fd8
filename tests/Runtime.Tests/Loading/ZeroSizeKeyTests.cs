using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Loading;

/// <summary>A map declared with <c>__uint(key, 0)</c> (key type <c>int[0]</c>) opens with key size 0 and works, as with libbpf.</summary>
[Collection("Kernel")]
public class ZeroSizeKeyTests
{
    [KernelFact(BpfMapType.Queue, BpfProgramType.Syscall)]
    public void AQueueDeclaredWithAZeroLengthKeyOpensLoadsAndQueues()
    {
        using var obj = BpfObject.Open(TestObjects.PathOf("zero_size_key"));
        Assert.Equal(0u, obj.Map("pending").KeySize);
        obj.Load();
        Assert.Equal(0u, obj.Map("pending").Map.GetInfo().KeySize);
        obj.Program("push_two").TestRun();
        Assert.True(obj.Map("pending").Map.TryPop(out uint first));
        Assert.True(obj.Map("pending").Map.TryPop(out uint second));
        Assert.Equal((41u, 42u), (first, second));
    }
}
