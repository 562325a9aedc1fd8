using System.Collections.Generic;
using System.Linq;
using BpfSkeleton.Btf;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Loading;
using BpfSkeleton.Runtime.Tests.ObjectModel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Core;

/// <summary>
/// Candidates are found per essential name by a scan of one kind (no index of every type): the
/// same types, in the same order, as libbpf's rule picks — a target's own essential name equal to
/// the local one, the kind equal or both enums — and the same answer when asked again.
/// </summary>
public class CoreCandidatesTests
{
    private static (BtfSpec Btf, Dictionary<string, int> Ids) Target()
    {
        var b = new BtfBuilder();
        var ids = new Dictionary<string, int>();
        var integer = b.Int("int", 4);
        foreach (var name in new[] { "foo", "foo___v2", "foo_bar", "foo____x", "fo", "xfoo", "foo___" })
            ids["struct " + name] = b.Struct(name, 4, ("a", integer, 0));
        ids["union foo"] = b.Add(BtfKind.Union, "foo", 0, 4);
        ids["typedef foo"] = b.Add(BtfKind.Typedef, "foo", 0, (uint)integer);
        ids["enum e"] = b.Add(BtfKind.Enum, "e", 0, 4);
        ids["enum64 e___x"] = b.Add(BtfKind.Enum64, "e___x", 0, 8);
        ids["struct foo (again)"] = b.Struct("foo", 8, ("b", integer, 0));
        return (BtfSpec.Parse(b.Build(), "target"), ids);
    }

    private static BtfSpec Local(BtfKind kind, string name)
    {
        var b = new BtfBuilder();
        b.Int("int", 4);
        b.Add(kind, name, 0, kind == BtfKind.Typedef ? 1u : 4u);
        return BtfSpec.Parse(b.Build(), "local");
    }

    private static List<int> Find(BtfSpec target, BtfKind kind, string localName)
    {
        var found = new LoaderList<CoreCandidate>();
        CoreCandidates.For(target).Find(Local(kind, localName), 2, found);
        Assert.All(found, c => Assert.Same(target, c.Btf));
        return found.Select(c => c.Id).ToList();
    }

    [Fact]
    public void AFlavoredLocalFindsEveryTargetWithItsEssentialNameInIdOrder()
    {
        var (target, ids) = Target();
        var expected = new List<int> { ids["struct foo"], ids["struct foo___v2"], ids["struct foo (again)"] };
        Assert.Equal(expected, Find(target, BtfKind.Struct, "foo___old"));
        Assert.Equal(expected, Find(target, BtfKind.Struct, "foo")); // asked again, other flavor: the remembered answer
    }

    [Fact]
    public void KindsMustMatchExceptTheTwoEnums()
    {
        var (target, ids) = Target();
        Assert.Equal(new[] { ids["union foo"] }, Find(target, BtfKind.Union, "foo"));
        Assert.Equal(new[] { ids["typedef foo"] }, Find(target, BtfKind.Typedef, "foo___t"));
        Assert.Equal(new[] { ids["enum e"], ids["enum64 e___x"] }, Find(target, BtfKind.Enum, "e"));
        Assert.Equal(new[] { ids["enum e"], ids["enum64 e___x"] }, Find(target, BtfKind.Enum64, "e___y"));
    }

    [Theory]
    [InlineData("fo")]
    [InlineData("foo_ba")]
    [InlineData("no_such")]
    public void APrefixOrAnotherNameIsNoCandidate(string name)
    {
        var (target, ids) = Target();
        var found = Find(target, BtfKind.Struct, name);
        Assert.Equal(name == "fo" ? new List<int> { ids["struct fo"] } : new List<int>(), found);
    }

    [Fact]
    public void KernelCandidatesAreTheTypesOfThatNameAndKind()
    {
        var vmlinux = KernelTypes.Vmlinux;
        var expected = vmlinux.FindAllByName("task_struct", BtfKind.Struct).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, Find(vmlinux, BtfKind.Struct, "task_struct___mine"));
    }
}
