using BpfSkeleton.Tasks;
using Xunit;

namespace BpfSkeleton.Generator.Tests
{
    /// <summary><c>clang --version</c> as the distributions print it.</summary>
    public sealed class ClangVersionTests
    {
        [Theory]
        [InlineData("Debian clang version 14.0.6\nTarget: x86_64-pc-linux-gnu", 14, "14.0.6")]
        [InlineData("Ubuntu clang version 18.1.3 (1ubuntu1)\nTarget: x86_64-pc-linux-gnu", 18, "18.1.3")]
        [InlineData("clang version 17.0.6 (Fedora 17.0.6-2.fc39)", 17, "17.0.6")]
        [InlineData("Apple clang version 15.0.0 (clang-1500.1.0.2.5)", 15, "15.0.0")]
        public void ReadsTheMajorVersion(string output, int major, string version)
        {
            Assert.True(ClangVersion.TryParse(output, out var parsedMajor, out var parsedVersion));
            Assert.Equal(major, parsedMajor);
            Assert.Equal(version, parsedVersion);
        }

        [Fact]
        public void RefusesWhatIsNotClang()
        {
            Assert.False(ClangVersion.TryParse("gcc (Debian 12.2.0-14) 12.2.0", out _, out _));
        }
    }
}
