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
