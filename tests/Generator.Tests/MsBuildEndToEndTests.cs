using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.CompilerServices;
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
            var repo = RepositoryRoot();
            var work = Directory.CreateTempSubdirectory("bpfskeleton-e2e-").FullName;
            try
            {
                var fixture = Path.Combine(repo, "tests/Generator.Tests/Fixtures/SampleApp");
                File.WriteAllText(Path.Combine(work, "SampleApp.csproj"),
                    File.ReadAllText(Path.Combine(fixture, "SampleApp.csproj.template")).Replace("@REPO@", repo));
                File.Copy(Path.Combine(fixture, "Program.cs"), Path.Combine(work, "Program.cs"));
                File.Copy(Path.Combine(fixture, "counter.bpf.c"), Path.Combine(work, "counter.bpf.c"));
                var golden = GeneratorHarness.GoldenObject("golden_ops.bpf.o");
                File.Copy(golden, Path.Combine(work, "golden_ops.bpf.o"));

                Run(work, "build", "-c", "Release", "-nologo", "-p:UseArtifactsOutput=false");
                var output = Run(work, "run", "-c", "Release", "--no-build", "-p:UseArtifactsOutput=false");

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
            var repo = RepositoryRoot();
            var work = Directory.CreateTempSubdirectory("bpfskeleton-clang-").FullName;
            try
            {
                File.WriteAllText(Path.Combine(work, "Broken.csproj"), $"""
                    <Project Sdk="Microsoft.NET.Sdk">
                      <Import Project="{repo}/src/Generator/build/BpfSkeleton.props" />
                      <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
                      <ItemGroup><BpfCompile Include="broken.bpf.c" /></ItemGroup>
                      <Import Project="{repo}/src/Generator/build/BpfSkeleton.targets" />
                    </Project>
                    """);
                File.WriteAllText(Path.Combine(work, "broken.bpf.c"), "int ok = 1;\nint f(void) { return missing; }\n");

                var output = Run(work, expectSuccess: false, "build", "-nologo", "-p:UseArtifactsOutput=false");

                Assert.Contains("broken.bpf.c(2,22): error", output);
                Assert.Contains("undeclared identifier 'missing'", output);
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
        }

        private static string HashOfStripped(byte[] original)
            => Convert.ToHexString(SHA256.HashData(ElfStripper.Strip(BpfObjectSpec.Parse(original, "x.bpf.o").Elf)));

        private static string Run(string directory, params string[] arguments) => Run(directory, true, arguments);

        private static string Run(string directory, bool expectSuccess, params string[] arguments)
        {
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            start.Environment["MSBUILDNODEREUSE"] = "0";
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), "dotnet timed out");
            var output = stdout + stderr.Result;
            Assert.True((process.ExitCode == 0) == expectSuccess, $"dotnet {string.Join(' ', arguments)} exited {process.ExitCode}:\n{output}");
            return output;
        }

        private static string RepositoryRoot([CallerFilePath] string path = "")
        {
            var directory = Path.GetDirectoryName(path);
            while (directory is not null && !File.Exists(Path.Combine(directory, "Skeleton.sln")))
                directory = Path.GetDirectoryName(directory);
            return directory ?? throw new InvalidOperationException("repository root not found");
        }
    }
}
