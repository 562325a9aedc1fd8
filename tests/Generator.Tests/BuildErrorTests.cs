using BpfSkeleton.Generator.Tests.Infrastructure;
using Xunit;

namespace BpfSkeleton.Generator.Tests
{
    /// <summary>What goes wrong in a build is one BPFSK1xx error with the fix, not a stack trace or an exit code.</summary>
    public sealed class BuildErrorTests
    {
        [Fact]
        public void AMissingObjectInAdditionalFilesIsOneClearError()
        {
            using var project = new TempProject("""<ItemGroup><AdditionalFiles Include="gone.bpf.o" /><BpfObject Include="lost.o" /></ItemGroup>""");

            var output = project.Build(expectSuccess: false);

            Assert.Contains("error BPFSK104: AdditionalFiles 'gone.bpf.o' does not exist", output);
            Assert.Contains("error BPFSK104: BpfObject 'lost.o' does not exist", output);
            Assert.DoesNotContain("MSB4018", output);
        }

        [Fact]
        public void MissingHeadersNameTheirFix()
        {
            using var project = new TempProject("""<ItemGroup><BpfCompile Include="needs_headers.bpf.c" /></ItemGroup>""");
            // vmlinux.h without BpfGenerateVmlinuxHeader; a libbpf header no libbpf has stands for missing libbpf-dev.
            project.Write("needs_headers.bpf.c", "#include \"vmlinux.h\"\n");
            project.Write("needs_libbpf.bpf.c", "#include <bpf/no_such_libbpf_header.h>\n");

            var vmlinux = project.Build(expectSuccess: false);
            project.Write("Test.csproj", DotnetCli.ProjectImportingTargets("""<ItemGroup><BpfCompile Include="needs_libbpf.bpf.c" /></ItemGroup>"""));
            var libbpf = project.Build(expectSuccess: false);

            Assert.Contains("error BPFSK106", vmlinux);
            Assert.Contains("Set BpfGenerateVmlinuxHeader=true", vmlinux);
            Assert.Contains("error BPFSK103", libbpf);
            Assert.Contains("<bpf/no_such_libbpf_header.h> from libbpf's headers", libbpf);
            Assert.DoesNotContain("exited with code", vmlinux + libbpf);
        }
    }
}
