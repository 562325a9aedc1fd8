using System;
using System.Linq;
using BpfSkeleton.Interop;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.ObjectModel;

/// <summary>One exception root: a caller catches BpfException and gets every error this library raises for BPF reasons.</summary>
public class ExceptionRootTests
{
    [Fact]
    public void EveryPublicExceptionDerivesFromBpfException()
    {
        var exceptions = typeof(BpfException).Assembly.GetExportedTypes()
            .Where(t => typeof(Exception).IsAssignableFrom(t)).ToList();
        Assert.Contains(typeof(BpfFormatException), exceptions);
        Assert.Contains(typeof(BpfLoadException), exceptions);
        Assert.All(exceptions, t => Assert.True(typeof(BpfException).IsAssignableFrom(t), $"{t.Name} does not derive from BpfException"));
    }

    [Fact]
    public void ErrorsThatAreNoKernelCallCarryErrnoZero()
    {
        var format = Assert.Throws<BpfFormatException>(() => BpfObject.Open(new byte[16], "junk.o"));
        Assert.Equal(0, format.Errno);
        Assert.Equal("read object", format.Operation);
        Assert.Equal(0, new BpfLoadException("x").Errno);
    }
}
