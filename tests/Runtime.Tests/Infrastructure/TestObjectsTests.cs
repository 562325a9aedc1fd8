using System.IO;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Infrastructure;

public class TestObjectsTests
{
    [Fact]
    public void BuildCompilesEveryTestSource()
    {
        Assert.True(File.Exists(TestObjects.PathOf("tcp_cc")));
        Assert.True(File.Exists(TestObjects.PathOf("globals")));
        // ELF magic
        var bytes = TestObjects.Bytes("globals");
        Assert.Equal(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' }, bytes[..4]);
    }
}
