using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using BpfSkeleton.Elf;
using BpfSkeleton.Generator.Tests.Infrastructure;
using BpfSkeleton.Specs;
using Xunit;

namespace BpfSkeleton.Generator.Tests
{
    /// <summary>What the skeleton embeds is exactly the shared stripper's output for the original bytes.</summary>
    public sealed class EmbeddedBytesTests
    {
        [Theory]
        [InlineData("tcp_cc.bpf.o")]
        [InlineData("globals.bpf.o")]
        [InlineData("dummy_ops.bpf.o")]
        public void EmbeddedBytesEqualStrippedOriginal(string name)
        {
            var path = GeneratorHarness.TestObject(name);
            var original = File.ReadAllBytes(path);
            var expected = ElfStripper.Strip(BpfObjectSpec.Parse(original, name).Elf);

            var result = GeneratorHarness.Run(GeneratorHarness.EncodeFile(path));

            Assert.Equal(expected, EmbeddedBytes(Assert.Single(result.GeneratedSources).SourceText.ToString()));
        }

        /// <summary>Decodes the <c>ObjectBase64</c> literal of generated source.</summary>
        internal static byte[] EmbeddedBytes(string source)
        {
            var match = Regex.Match(source, "ObjectBase64 = \"\"\"(?<base64>[^\"]*)\"\"\";");
            Assert.True(match.Success, "no ObjectBase64 literal in the generated source");
            return Convert.FromBase64String(match.Groups["base64"].Value);
        }
    }
}
