using System;
using System.IO;
using BpfSkeleton.Generator.Tests.Infrastructure;
using Xunit;

namespace BpfSkeleton.Generator.Tests
{
    /// <summary>
    /// clang's dependency files drive incrementality: a header reached through BpfIncludeDirectories and an
    /// #include chain, outside the project folder, rebuilds the object that includes it and nothing else;
    /// other compile options rebuild every object.
    /// </summary>
    public sealed class BuildDependencyTests
    {
        private const string Program = "char LICENSE[] __attribute__((section(\"license\"), used)) = \"GPL\";\n"
            + "__attribute__((section(\"tracepoint/syscalls/sys_enter_getpid\"), used)) int count(void *ctx) { return VALUE; }\n";

        [Fact]
        public void AnIncludedHeaderRebuildsOnlyTheObjectThatReadsIt()
        {
            var headers = Directory.CreateTempSubdirectory("bpfskeleton-headers-").FullName;
            try
            {
                File.WriteAllText(Path.Combine(headers, "outer.h"), "#include \"inner.h\"\n");
                File.WriteAllText(Path.Combine(headers, "inner.h"), "#define VALUE 1\n");
                using var project = new TempProject($"""
                    <PropertyGroup><BpfIncludeDirectories>{headers}</BpfIncludeDirectories></PropertyGroup>
                    <ItemGroup>
                      <BpfCompile Include="with_header.bpf.c" />
                      <BpfCompile Include="without_header.bpf.c" />
                    </ItemGroup>
                    """);
                project.Write("with_header.bpf.c", "#include \"outer.h\"\n" + Program);
                project.Write("without_header.bpf.c", "#define VALUE 0\n" + Program);
                var withHeader = Path.Combine(project.IntermediateDir, "with_header.bpf.o");
                var withoutHeader = Path.Combine(project.IntermediateDir, "without_header.bpf.o");

                project.Build();
                var firstWith = File.GetLastWriteTimeUtc(withHeader);
                var firstWithout = File.GetLastWriteTimeUtc(withoutHeader);
                File.SetLastWriteTimeUtc(Path.Combine(headers, "inner.h"), firstWith.AddSeconds(2));

                project.Build();
                var secondWith = File.GetLastWriteTimeUtc(withHeader);
                Assert.True(secondWith > firstWith, "editing inner.h did not rebuild the object that includes it");
                Assert.Equal(firstWithout, File.GetLastWriteTimeUtc(withoutHeader));

                project.Build();
                Assert.Equal(secondWith, File.GetLastWriteTimeUtc(withHeader));
                Assert.Equal(firstWithout, File.GetLastWriteTimeUtc(withoutHeader));

                // Other clang flags recompile every object.
                project.Build(true, null, "-p:BpfClangFlags=-g -O1");
                Assert.True(File.GetLastWriteTimeUtc(withHeader) > secondWith, "new clang flags did not recompile");
                Assert.True(File.GetLastWriteTimeUtc(withoutHeader) > firstWithout, "new clang flags did not recompile");
            }
            finally { Directory.Delete(headers, recursive: true); }
        }
    }
}
