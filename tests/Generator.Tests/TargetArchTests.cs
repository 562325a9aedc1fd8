using System.Runtime.InteropServices;
using BpfSkeleton.Generator.Tests.Infrastructure;
using Xunit;

namespace BpfSkeleton.Generator.Tests
{
    /// <summary>The BPF target arch follows RuntimeIdentifier; the host's only without one.</summary>
    public sealed class TargetArchTests
    {
        private const string Program = "char LICENSE[] __attribute__((section(\"license\"), used)) = \"GPL\";\n"
            + "__attribute__((section(\"tracepoint/syscalls/sys_enter_getpid\"), used)) int count(void *ctx) { return 0; }\n";

        [Fact]
        public void RuntimeIdentifierDecidesTheArch()
        {
            using var project = new TempProject("");
            var host = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "x86";

            Assert.Equal(host, project.Property("BpfTargetArch"));
            Assert.Equal("arm64", project.Property("BpfTargetArch", "-p:RuntimeIdentifier=linux-arm64"));
            Assert.Equal("/usr/include/aarch64-linux-gnu", project.Property("BpfMultiarchIncludeDir", "-p:RuntimeIdentifier=linux-arm64"));
            Assert.Equal("x86", project.Property("BpfTargetArch", "-p:RuntimeIdentifier=linux-musl-x64"));
            Assert.Equal("riscv", project.Property("BpfTargetArch", "-p:RuntimeIdentifier=linux-riscv64"));
            Assert.Equal("s390", project.Property("BpfTargetArch", "-p:RuntimeIdentifier=linux-s390x"));
        }

        [Fact]
        public void AnArchWithNoBpfNameIsOneErrorOnlyWhereBpfCIsCompiled()
        {
            using var project = new TempProject("""<ItemGroup><BpfCompile Include="probe.bpf.c" /></ItemGroup>""");
            project.Write("probe.bpf.c", Program);
            using var noBpf = new TempProject("");
            // The targets alone (no restore): an unknown RID architecture stops nothing else.
            string[] arguments = ["msbuild", "-nologo", "-t:BpfSkeletonFindObjects", "-p:RuntimeIdentifier=linux-wasm", "-p:UseArtifactsOutput=false"];

            var (_, output) = DotnetCli.Run(project.Directory, false, null, arguments);
            DotnetCli.Run(noBpf.Directory, true, null, arguments);

            Assert.Contains("error BPFSK107: RuntimeIdentifier 'linux-wasm' names an architecture with no BPF target arch", output);
        }

        [Fact]
        public void ACrossArchBuildCompilesForTheTargetWithTheGivenVmlinuxHeader()
        {
            using var project = new TempProject("""
                <PropertyGroup>
                  <BpfTargetArch></BpfTargetArch>
                  <BpfVmlinuxHeader>target/vmlinux.h</BpfVmlinuxHeader>
                </PropertyGroup>
                <ItemGroup><BpfCompile Include="probe.bpf.c" /></ItemGroup>
                """);
            project.Write("target/vmlinux.h", "#define FROM_TARGET_VMLINUX 1\n");
            project.Write("probe.bpf.c", "#include \"vmlinux.h\"\n#if !defined(__TARGET_ARCH_arm64) || !FROM_TARGET_VMLINUX\n#error not built for arm64 with the given vmlinux.h\n#endif\n" + Program);

            project.Build(expectSuccess: true, null, "-p:RuntimeIdentifier=linux-arm64");
        }

        [Fact]
        public void ACrossArchBuildRefusesTheHostsVmlinuxHeader()
        {
            using var project = new TempProject("""
                <PropertyGroup><BpfGenerateVmlinuxHeader>true</BpfGenerateVmlinuxHeader></PropertyGroup>
                <ItemGroup><BpfCompile Include="probe.bpf.c" /></ItemGroup>
                """);
            project.Write("probe.bpf.c", Program);
            var other = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "linux-x64" : "linux-arm64";

            var output = project.Build(expectSuccess: false, null, "-p:RuntimeIdentifier=" + other);

            Assert.Contains("error BPFSK106: BpfGenerateVmlinuxHeader dumps the running kernel's types", output);
            Assert.Contains("Set BpfVmlinuxHeader", output);
        }
    }
}
