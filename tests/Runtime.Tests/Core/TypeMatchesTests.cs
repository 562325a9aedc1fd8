using BpfSkeleton.Btf;
using BpfSkeleton.Elf;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Loading;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Specs;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Core;

/// <summary>
/// TYPE_MATCHES needs clang 15 to be emitted, so these relocation records are made by hand and
/// resolved by the same session the loader uses, against vmlinux and against a custom target.
/// </summary>
public class TypeMatchesTests
{
    private static ulong Resolve(string localObject, BtfSpec target, string name, BtfKind kind, BtfCoreReloKind relocation = BtfCoreReloKind.TypeMatches)
    {
        using var obj = BpfObject.Open(TestObjects.PathOf(localObject));
        Assert.True(obj.Spec.Btf!.TryFindByName(name, kind, out var id));
        var session = new CoreSession(obj.Spec, target, modules: null);
        return session.Resolve(new CoreRelocationRecord(0, id, relocation, "0")).Result.NewValue;
    }

    private static BtfSpec CustomTarget()
    {
        var elf = ElfFile.Parse(TestObjects.Bytes("core_custom_target"), "core_custom_target.bpf.o");
        return BtfSpec.Parse(elf.FindSection(".BTF")!.Data, "core_custom_target.btf");
    }

    [Fact]
    public void AStructWithAMemberTheKernelLacksDoesNotMatchButExists()
    {
        Assert.Equal(0ul, Resolve("core", KernelTypes.Vmlinux, "task_struct___local", BtfKind.Struct));
        Assert.Equal(1ul, Resolve("core", KernelTypes.Vmlinux, "task_struct___local", BtfKind.Struct, BtfCoreReloKind.TypeExists));
    }

    [Fact]
    public void AStructOfPointersToItselfMatchesTheKernels()
        => Assert.Equal(1ul, Resolve("core", KernelTypes.Vmlinux, "list_head", BtfKind.Struct));

    /// <summary>
    /// libbpf compares names at every level, integers included: clang spells "unsigned long"
    /// where the kernel's pahole wrote "long unsigned int", so even vmlinux.h's own task_struct
    /// does not TYPE_MATCH the kernel's. We keep that behaviour.
    /// </summary>
    [Fact]
    public void IntegerNamesAreComparedLikeEveryOtherName()
        => Assert.Equal(0ul, Resolve("core", KernelTypes.Vmlinux, "task_struct", BtfKind.Struct));

    [Fact]
    public void EnumsMatchByEnumeratorNamesNotValues()
        => Assert.Equal(1ul, Resolve("core_custom", CustomTarget(), "shape_kind", BtfKind.Enum));

    [Fact]
    public void ARenamedMemberBreaksTheMatch()
    {
        Assert.Equal(0ul, Resolve("core_custom", CustomTarget(), "shape", BtfKind.Struct));
        Assert.Equal(32ul, Resolve("core_custom", CustomTarget(), "shape", BtfKind.Struct, BtfCoreReloKind.TypeSize));
    }

    [Fact]
    public void FlavorsAreStrippedFromTheLastTripleUnderscore()
    {
        Assert.Equal("task_struct", CoreNames.Essential("task_struct___local"));
        Assert.Equal("a___b", CoreNames.Essential("a___b___c"));
        Assert.Equal("____x", CoreNames.Essential("____x"));
        Assert.Equal("x___", CoreNames.Essential("x___"));
    }
}
