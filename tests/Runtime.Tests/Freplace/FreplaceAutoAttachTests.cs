using System;
using BpfSkeleton.Links;
using BpfSkeleton.Specs;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Freplace;

/// <summary>freplace auto-attaches only once SetAttachTarget gave it a program; fentry/fexit always can (no kernel).</summary>
public class FreplaceAutoAttachTests
{
    [Theory]
    [InlineData("freplace/answer", false, false)]
    [InlineData("freplace/answer", true, true)]
    [InlineData("freplace", true, true)]
    [InlineData("fentry/answer", false, true)]
    [InlineData("fexit/answer", true, true)]
    public void AutoAttach(string section, bool hasAttachProgram, bool expected)
    {
        var spec = new ProgramSpec("p", section, 1, 0, Array.Empty<BpfInstruction>(), SectionTable.Find(section), isSubprogram: false);
        Assert.Equal(expected, ProgramAttacher.CanAutoAttach(spec, hasAttachProgram));
    }
}
