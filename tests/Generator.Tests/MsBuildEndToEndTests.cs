using System;
using System.IO;
using System.Security.Cryptography;
using BpfSkeleton.Elf;
using BpfSkeleton.Generator.Tests.Infrastructure;
using BpfSkeleton.Specs;
using Xunit;

namespace BpfSkeleton.Generator.Tests
{
    /// <summary>
    /// Builds and runs Fixtures/SampleApp with <c>dotnet build</c>: an AdditionalFiles .bpf.o and a
    /// BpfCompile .bpf.c go through the targets, the skeletons compile, and the embedded bytes are
    /// the stripped originals.
    /// </summary>
    public sealed class MsBuildEndToEndTests
    {
        [Fact]
        public void SampleAppBuildsAndRuns()
        {
            var repo = DotnetCli.RepositoryRoot();
            var work = Directory.CreateTempSubdirectory("bpfskeleton-e2e-").FullName;
            try
            {
                var fixture = Path.Combine(repo, "tests/Generator.Tests/Fixtures/SampleApp");
                File.WriteAllText(Path.Combine(work, "SampleApp.csproj"),
                    File.ReadAllText(Path.Combine(fixture, "SampleApp.csproj.template")).Replace("@REPO@", repo).Replace("@TASKS@", DotnetCli.TasksAssembly));
                File.Copy(Path.Combine(fixture, "Program.cs"), Path.Combine(work, "Program.cs"));
                File.Copy(Path.Combine(fixture, "counter.bpf.c"), Path.Combine(work, "counter.bpf.c"));
                var golden = GeneratorHarness.GoldenObject("golden_ops.bpf.o");
                File.Copy(golden, Path.Combine(work, "golden_ops.bpf.o"));

                DotnetCli.Run(work, "build", "-c", "Release", "-nologo", "-p:UseArtifactsOutput=false");
                var output = DotnetCli.Run(work, "run", "-c", "Release", "--no-build", "-p:UseArtifactsOutput=false");

                Assert.Contains($"ops {HashOfStripped(File.ReadAllBytes(golden))}", output);
                var compiled = Path.Combine(work, "obj/Release/net10.0/bpfskeleton/counter.bpf.o");
                Assert.True(File.Exists(compiled), "BpfCompile output missing");
                Assert.Contains($"counter {HashOfStripped(File.ReadAllBytes(compiled))}", output);
                Assert.Contains("shadow renamed 42 ops_compute_alt", output);
                Assert.Contains("program count_getpid 0", output);
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
        }

        [Fact]
        public void ClangErrorsPointAtTheCFile()
        {
            var work = Directory.CreateTempSubdirectory("bpfskeleton-clang-").FullName;
            try
            {
                File.WriteAllText(Path.Combine(work, "Broken.csproj"), DotnetCli.ProjectImportingTargets("""<ItemGroup><BpfCompile Include="broken.bpf.c" /></ItemGroup>"""));
                File.WriteAllText(Path.Combine(work, "broken.bpf.c"), "int ok = 1;\nint f(void) { return missing; }\n");

                var (_, output) = DotnetCli.Run(work, false, null, "build", "-nologo", "-p:UseArtifactsOutput=false");

                Assert.Contains("broken.bpf.c(2,22): error", output);
                Assert.Contains("undeclared identifier 'missing'", output);
                // clang's own error says it all: no "exited with code" on top.
                Assert.DoesNotContain("exited with code", output);
                Assert.DoesNotContain("MSB6006", output);
                Assert.DoesNotContain("BPFSK105", output);
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
        }

        private static string HashOfStripped(byte[] original)
            => Convert.ToHexString(SHA256.HashData(ElfStripper.Strip(BpfObjectSpec.Parse(original, "x.bpf.o").Elf)));
    }
}
