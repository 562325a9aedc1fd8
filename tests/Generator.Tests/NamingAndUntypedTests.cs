extern alias gen;
using System.Linq;
using gen::BpfSkeleton.Generator;
using BpfSkeleton.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace BpfSkeleton.Generator.Tests
{
    public sealed class NamingAndUntypedTests
    {
        /// <summary>A name with a line break (or any control character) must not end a /// comment line early.</summary>
        [Fact]
        public void DocCommentTextHasNoLineBreaksOrControlCharacters()
        {
            Assert.Equal("a\\x0D\\x0Ab &lt;c&gt; \\x00", CodeWriter.Xml("a\r\nb <c> \0"));
            Assert.Equal("plain_name", CodeWriter.Xml("plain_name"));
        }

        /// <summary>An INT whose BTF size no type can have is bad input (BPFSK001), not a generated InlineArray(-1).</summary>
        [Fact]
        public void AnImpossibleTypeSizeIsADiagnosticNotBrokenSource()
        {
            var bytes = System.IO.File.ReadAllBytes(GeneratorHarness.TestObject("globals.bpf.o"));
            // The BTF record of 'unsigned long long' (the globals' __u64): name, INT kind, size 8; make the size 0xffffffff.
            var elf = gen::BpfSkeleton.Elf.ElfFile.Parse(bytes, "globals.bpf.o");
            var btf = elf.FindSection(".BTF")!;
            int start = (int)btf.Offset, end = start + (int)btf.Size;
            int stringsAt = start + 24 + (int)System.BitConverter.ToUInt32(bytes, start + 16);
            int name = IndexOf(bytes, System.Text.Encoding.ASCII.GetBytes("unsigned long long\0"), stringsAt, end) - stringsAt;
            Assert.True(name > 0);
            int record = -1;
            for (int at = start + 24; at + 12 <= stringsAt; at += 4)
                if (System.BitConverter.ToUInt32(bytes, at) == name && bytes[at + 7] == 1 && System.BitConverter.ToUInt32(bytes, at + 8) == 8) { record = at; break; }
            Assert.True(record > 0, "the INT record was not found");
            System.BitConverter.GetBytes(uint.MaxValue).CopyTo(bytes, record + 8);

            var result = GeneratorHarness.Run(GeneratorHarness.Encode("/objects/globals.bpf.o", bytes));

            Assert.Null(result.Exception);
            var error = Assert.Single(result.Diagnostics, d => d.Id == "BPFSK001");
            Assert.Contains("4294967295 bytes", error.GetMessage());
            Assert.Empty(result.GeneratedSources);
        }

        private static int IndexOf(byte[] haystack, byte[] needle, int from, int to)
        {
            for (int i = from; i + needle.Length <= to; i++)
                if (System.MemoryExtensions.SequenceEqual(new System.ReadOnlySpan<byte>(haystack, i, needle.Length), needle)) return i;
            return -1;
        }

        [Theory]
        [InlineData("snd_cwnd", "SndCwnd")]
        [InlineData("CA_EVENT_TX_START", "CaEventTxStart")]
        [InlineData(".data.custom", "DataCustom")]
        [InlineData("__pad", "Pad")]
        [InlineData("_", "_")]
        [InlineData("2fast", "_2fast")]
        public void PascalCaseIsDeterministic(string c, string expected) => Assert.Equal(expected, Naming.PascalCase(c));

        [Fact]
        public void CollisionsGetNumericSuffixesAndAreReported()
        {
            var diagnostics = new DiagnosticSink("/objects/x.bpf.o");
            var scope = new NameScope("struct Foo", diagnostics, "Foo");

            Assert.Equal("FooBar", scope.Claim("FooBar", "foo_bar"));
            Assert.Equal("FooBar2", scope.Claim("FooBar", "fooBar"));
            Assert.Equal("Foo2", scope.Claim("Foo", "foo"));
            Assert.Equal("ToString2", scope.Claim("ToString", "to_string"));

            var reported = diagnostics.ToArray();
            Assert.Equal(3, reported.Count);
            Assert.All(reported, d => Assert.Equal("BPFSK005", d.Id));
            Assert.Equal("fooBar", reported[0].Arguments[1]);
        }

        [Fact]
        public void ObjectWithoutBtfGetsAnUntypedSkeletonAndAWarning()
        {
            var result = GeneratorHarness.Run(GeneratorHarness.EncodeFile(GeneratorHarness.GoldenObject("golden_nobtf.bpf.o")));

            var warning = Assert.Single(result.Diagnostics);
            Assert.Equal("BPFSK003", warning.Id);
            Assert.Equal(DiagnosticSeverity.Warning, warning.DefaultSeverity); // the harness compiles with warnings as errors
            var source = Assert.Single(result.GeneratedSources).SourceText.ToString();
            Assert.Contains("CountCalls = obj.Program(\"count_calls\")", source);
            Assert.DoesNotContain("Calls\n", source.Replace("CountCalls", ""));

            var compilation = GeneratorHarness.Compilation(source);
            Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity != DiagnosticSeverity.Hidden));
        }
    }
}
