using BpfSkeleton.Tasks;
using Xunit;

namespace BpfSkeleton.Generator.Tests
{
    /// <summary>clang's -MD -MF output read back as the object's inputs.</summary>
    public sealed class DependencyFileTests
    {
        [Fact]
        public void ListsEveryPrerequisiteAcrossContinuationLines()
        {
            var text = "/o/x.bpf.o: /src/x.bpf.c /o/include/vmlinux.h \\\n  /usr/include/bpf/bpf_helpers.h \\\n  /src/inc/a.h\n";
            Assert.Equal(new[] { "/src/x.bpf.c", "/o/include/vmlinux.h", "/usr/include/bpf/bpf_helpers.h", "/src/inc/a.h" }, DependencyFile.Prerequisites(text));
        }

        [Fact]
        public void UnescapesSpacesDollarsAndHashes()
        {
            var text = "/o/x.o: /my\\ dir/x.bpf.c /a$$b.h /c\\#d.h\n";
            Assert.Equal(new[] { "/my dir/x.bpf.c", "/a$b.h", "/c#d.h" }, DependencyFile.Prerequisites(text));
        }

        [Fact]
        public void KeepsOneEntryPerHeaderAndSkipsEveryRuleTarget()
        {
            // -MP style: an empty rule per header.
            var text = "/o/x.o: /src/x.c /src/a.h\n/src/a.h:\n/src/a.h: /src/a.h\n";
            Assert.Equal(new[] { "/src/x.c", "/src/a.h" }, DependencyFile.Prerequisites(text));
        }

        [Fact]
        public void ReadsCrLfFiles()
        {
            Assert.Equal(new[] { "/s/x.c", "/s/a.h" }, DependencyFile.Prerequisites("/o/x.o: /s/x.c \\\r\n /s/a.h\r\n"));
        }
    }
}
