extern alias gen;
using System;
using System.IO;
using System.Linq;
using System.Text;
using BpfSkeleton.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace BpfSkeleton.Generator.Tests
{
    /// <summary>Bad input yields diagnostics that name the file — never an exception from the generator.</summary>
    public sealed class BadInputTests
    {
        [Fact]
        public void TextFileIsReportedAsNotAnElf()
        {
            var diagnostic = SingleError(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("just some text, not an object\n", 8))));

            Assert.Equal("BPFSK001", diagnostic.Id);
            Assert.Contains("/objects/bad.bpf.o", diagnostic.GetMessage());
            Assert.Contains("not an ELF", diagnostic.GetMessage());
        }

        [Fact]
        public void NativeElfIsReportedAsNotBpf()
        {
            var native = File.ReadAllBytes("/bin/true").Take(1024).ToArray();

            var diagnostic = SingleError(native);

            Assert.Equal("BPFSK001", diagnostic.Id);
            Assert.Contains("EM_BPF", diagnostic.GetMessage());
        }

        [Fact]
        public void AProgramInASectionWithNoTypeIsAWarningThatSaysTheFix()
        {
            var result = GeneratorHarness.Run(GeneratorHarness.EncodeFile(GeneratorHarness.TestObject("unknown_section.bpf.o")));

            Assert.Null(result.Exception);
            var warning = Assert.Single(result.Diagnostics, d => d.Id == "BPFSK010");
            Assert.Equal(DiagnosticSeverity.Warning, warning.Descriptor.DefaultSeverity);
            Assert.Contains("'legacy_classifier'", warning.GetMessage());
            Assert.Contains("'classifier/0'", warning.GetMessage());
            Assert.Contains("Programs.LegacyClassifier.Type", warning.GetMessage());
            Assert.DoesNotContain(result.Diagnostics, d => d.Id == "BPFSK010" && d.GetMessage().Contains("known_filter"));
            Assert.NotEmpty(result.GeneratedSources); // still a skeleton: the program is there to be typed
        }

        /// <summary>libbpf 1.8's fsession and tracing multi sections are known: no "section with no type" warning.</summary>
        [Fact]
        public void SessionAndMultiTracingSectionsAreNoUnknownSections()
        {
            var result = GeneratorHarness.Run(GeneratorHarness.EncodeFile(GeneratorHarness.TestObject("tracing_sessions.bpf.o")));

            Assert.Null(result.Exception);
            Assert.Empty(result.Diagnostics);
            Assert.NotEmpty(result.GeneratedSources);
        }

        /// <summary>
        /// A fault of the generator itself (here: an input with no content at all, which the targets never produce)
        /// is not passed off as a bad object: BPFSK011 names the exception, the method and the way around it, no stack.
        /// </summary>
        [Fact]
        public void AGeneratorFaultIsItsOwnDiagnosticWithoutAStack()
        {
            var input = new gen::BpfSkeleton.Generator.Model.SkeletonInput("/objects/x.bpf.o.bpfobj.txt", "/objects/x.bpf.o", null!, null, "App", "public");

            var result = gen::BpfSkeleton.Generator.SkeletonParser.Parse(input, default);

            Assert.Null(result.Model);
            var fault = Assert.Single(result.Diagnostics);
            Assert.Equal("BPFSK011", fault.Id);
            var message = string.Format(System.Globalization.CultureInfo.InvariantCulture,
                gen::BpfSkeleton.Generator.DiagnosticDescriptors.GeneratorFault.MessageFormat.ToString(),
                fault.Arguments.Cast<object>().ToArray());
            Assert.Contains("/objects/x.bpf.o", message);
            Assert.Contains("NullReferenceException", message);
            Assert.Contains("SkeletonParser.Build", message);
            Assert.Contains("BpfObject.Open", message);
            Assert.DoesNotContain("   at ", message); // no stack frames
            Assert.DoesNotContain("\n", message);
        }

        [Fact]
        public void AnExternFunctionOutsideKsymsIsReportedByName()
        {
            var result = GeneratorHarness.Run(GeneratorHarness.EncodeFile(GeneratorHarness.TestObject("extern_not_ksym.bpf.o")));

            Assert.Null(result.Exception);
            var error = Assert.Single(result.Diagnostics);
            Assert.Equal("BPFSK001", error.Id);
            Assert.Contains("'not_a_kfunc'", error.GetMessage());
            Assert.Contains("__ksym", error.GetMessage());
        }

        [Fact]
        public void InvalidBase64IsReported()
        {
            var encoded = GeneratorHarness.Encode("/objects/bad.bpf.o", new byte[] { 1 }).WithText("%%% not base64 %%%");

            var result = GeneratorHarness.Run(encoded);

            Assert.Null(result.Exception);
            Assert.Equal("BPFSK002", Assert.Single(result.Diagnostics).Id);
            Assert.Empty(result.GeneratedSources);
        }

        [Fact]
        public void TruncatedObjectsNeverCrash()
        {
            var bytes = File.ReadAllBytes(GeneratorHarness.TestObject("globals.bpf.o"));
            for (var length = 0; length < bytes.Length; length += 97)
                AssertNoCrash(bytes.AsSpan(0, length).ToArray());
        }

        [Fact]
        public void MutatedObjectsNeverCrash()
        {
            var original = File.ReadAllBytes(GeneratorHarness.GoldenObject("golden_types.bpf.o"));
            var random = new Random(1234);
            var sawError = false;
            for (var round = 0; round < 300; round++)
            {
                var bytes = (byte[])original.Clone();
                for (var flips = random.Next(1, 8); flips > 0; flips--)
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                sawError |= AssertNoCrash(bytes);
            }
            Assert.True(sawError, "no mutation was detected as malformed; the test would not notice a silent reader");
        }

        [Fact]
        public void InvalidClassNameFallsBackWithWarning()
        {
            var path = GeneratorHarness.GoldenObject("golden_ops.bpf.o");
            var result = GeneratorHarness.Run(GeneratorHarness.EncodeFile(path, className: "not a name"));

            Assert.Contains(result.Diagnostics, d => d.Id == "BPFSK007");
            Assert.Contains("class GoldenOpsSkeleton", Assert.Single(result.GeneratedSources).SourceText.ToString());
        }

        [Fact]
        public void TwoSkeletonsWithOneNameAreReported()
        {
            var path = GeneratorHarness.GoldenObject("golden_ops.bpf.o");
            var first = GeneratorHarness.Encode("/a/golden_ops.bpf.o", File.ReadAllBytes(path));
            var second = GeneratorHarness.Encode("/b/golden_ops.bpf.o", File.ReadAllBytes(path));

            var result = GeneratorHarness.Run(first, second);

            Assert.Single(result.GeneratedSources);
            var duplicate = Assert.Single(result.Diagnostics, d => d.Id == "BPFSK006");
            Assert.Contains("/b/golden_ops.bpf.o", duplicate.GetMessage());
        }

        private static Diagnostic SingleError(byte[] bytes)
        {
            var result = GeneratorHarness.Run(GeneratorHarness.Encode("/objects/bad.bpf.o", bytes));
            Assert.Null(result.Exception);
            Assert.Empty(result.GeneratedSources);
            return Assert.Single(result.Diagnostics);
        }

        /// <summary>Runs the generator; true when it reported an error (it must never throw).</summary>
        private static bool AssertNoCrash(byte[] bytes)
        {
            var result = GeneratorHarness.Run(GeneratorHarness.Encode("/objects/mutant.bpf.o", bytes));
            Assert.Null(result.Exception);
            Assert.DoesNotContain(result.Diagnostics, d => d.Id.StartsWith("CS") || d.Id.StartsWith("AD"));
            var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(errors.Count > 0 || result.GeneratedSources.Length == 1, "neither a skeleton nor an error");
            foreach (var error in errors) Assert.Contains("/objects/mutant.bpf.o", error.GetMessage());
            return errors.Count > 0;
        }
    }
}
