using System.Collections.Generic;
using System.IO;
using BpfSkeleton.Generator.Tests.Infrastructure;
using Xunit;

namespace BpfSkeleton.Generator.Tests
{
    /// <summary>
    /// clang and bpftool found as users expect, with one BPFSK1xx error naming what is missing and how to
    /// install it, never "exited with code 127". PATH is set per build to directories of fake clangs.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public sealed class BuildToolLookupTests
    {
        private const string Source = "char LICENSE[] __attribute__((section(\"license\"), used)) = \"GPL\";\n"
            + "__attribute__((section(\"tracepoint/syscalls/sys_enter_getpid\"), used)) int count(void *ctx) { return 0; }\n";

        [Fact]
        public void NoClangIsOneErrorWithTheInstallCommand()
        {
            using var project = Project();
            var tools = Directory.CreateTempSubdirectory("bpfskeleton-tools-").FullName;
            try
            {
                var output = project.Build(expectSuccess: false, PathOf(tools));

                Assert.Contains("error BPFSK100: clang 14 or newer is needed", output);
                Assert.Contains("apt-get install clang libbpf-dev bpftool", output);
                Assert.DoesNotContain("exited with code", output);
            }
            finally { Directory.Delete(tools, recursive: true); }
        }

        [Fact]
        public void AnOldClangOnPathIsNamedWithItsVersion()
        {
            using var project = Project();
            var tools = Directory.CreateTempSubdirectory("bpfskeleton-tools-").FullName;
            try
            {
                FakeTools.Clang(tools, "clang", "11.0.1", compiles: false);

                var output = project.Build(expectSuccess: false, PathOf(tools));

                Assert.Contains("error BPFSK101", output);
                Assert.Contains($"clang at '{tools}/clang' is version 11.0.1; BPF objects need clang 14 or newer", output);
            }
            finally { Directory.Delete(tools, recursive: true); }
        }

        [Fact]
        public void TheNewestVersionedClangIsUsedWhenPlainClangIsTooOld()
        {
            using var project = Project();
            var tools = Directory.CreateTempSubdirectory("bpfskeleton-tools-").FullName;
            try
            {
                FakeTools.Clang(tools, "clang", "11.0.1", compiles: false);
                FakeTools.Clang(tools, "clang-13", "13.0.1", compiles: false);
                FakeTools.Clang(tools, "clang-15", "15.0.7", compiles: true);
                FakeTools.Clang(tools, "clang-16", "16.0.6", compiles: true);

                // /usr/bin (clang-14) comes after: still the newest, clang-16, wins.
                project.Build(expectSuccess: true, PathOf(tools + ":/usr/local/bin:/usr/bin:/bin"));

                Assert.True(FakeTools.WasUsed(tools, "clang-16"), "clang-16 was not used");
                Assert.False(FakeTools.WasUsed(tools, "clang-15"));
                Assert.True(File.Exists(Path.Combine(project.IntermediateDir, "probe.bpf.o")));
            }
            finally { Directory.Delete(tools, recursive: true); }
        }

        [Fact]
        public void PlainClangOnPathWinsWhenNewEnough()
        {
            using var project = Project();
            var tools = Directory.CreateTempSubdirectory("bpfskeleton-tools-").FullName;
            try
            {
                FakeTools.Clang(tools, "clang", "14.0.6", compiles: true);
                FakeTools.Clang(tools, "clang-18", "18.1.3", compiles: true);

                project.Build(expectSuccess: true, PathOf(tools + ":/usr/bin:/bin"));

                Assert.True(FakeTools.WasUsed(tools, "clang"), "clang on PATH was not used");
                Assert.False(FakeTools.WasUsed(tools, "clang-18"));
            }
            finally { Directory.Delete(tools, recursive: true); }
        }

        [Fact]
        public void BpftoolIsFoundInUsrSbinWithoutItOnPath()
        {
            using var project = new TempProject("""
                <PropertyGroup><BpfGenerateVmlinuxHeader>true</BpfGenerateVmlinuxHeader></PropertyGroup>
                <ItemGroup><BpfCompile Include="probe.bpf.c" /></ItemGroup>
                """);
            project.Write("probe.bpf.c", "#include \"vmlinux.h\"\n" + Source);

            var output = project.Build(expectSuccess: true, PathOf("/usr/local/bin:/usr/bin:/bin"));

            Assert.True(File.Exists(Path.Combine(project.IntermediateDir, "include/vmlinux.h")), output);
        }

        private static TempProject Project()
        {
            var project = new TempProject("""<ItemGroup><BpfCompile Include="probe.bpf.c" /></ItemGroup>""");
            project.Write("probe.bpf.c", Source);
            return project;
        }

        private static Dictionary<string, string> PathOf(string path) => new() { ["PATH"] = path };
    }
}
