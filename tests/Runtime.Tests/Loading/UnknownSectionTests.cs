using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Loading;

/// <summary>
/// A program in a section no convention knows is not silently left out (libbpf refuses it: "missing BPF prog
/// type"): Load() names the section and the fix; the program type set before Load() is the way to load it.
/// </summary>
[Collection("Kernel")]
public class UnknownSectionTests
{
    [KernelFact(BpfProgramType.SchedCls)]
    public void LoadNamesTheSectionAndATypeSetBeforeLoadLoadsIt()
    {
        using (var obj = BpfObject.Open(TestObjects.PathOf("unknown_section")))
        {
            var program = obj.Program("legacy_classifier");
            Assert.Equal(BpfProgramType.Unspec, program.Type);
            Assert.True(program.AutoLoad);
            var error = Assert.Throws<BpfLoadException>(obj.Load);
            Assert.Contains("'legacy_classifier'", error.Message);
            Assert.Contains("section 'classifier/0'", error.Message);
            Assert.Contains("set its Type before Load()", error.Message);
        }

        using var typed = BpfObject.Open(TestObjects.PathOf("unknown_section"));
        typed.Program("legacy_classifier").Type = BpfProgramType.SchedCls;
        typed.Load();
        Assert.True(typed.Program("legacy_classifier").IsLoaded);
        Assert.Equal(BpfProgramType.SchedCls, typed.Program("legacy_classifier").GetInfo().Type);
        Assert.True(typed.Program("known_filter").IsLoaded);
    }
}
