using System.Collections.Generic;
using System.IO;
using BpfSkeleton.Btf;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.ObjectModel;

/// <summary>Our BTF decoding agrees with bpftool's for every test object and the running kernel.</summary>
public class BtfOracleTests
{
    public static IEnumerable<object[]> Objects() => ObjectFiles.AllAsTheory();

    [Theory]
    [MemberData(nameof(Objects))]
    public void ObjectBtfMatchesBpftool(string fileName)
    {
        var path = ObjectFiles.PathOf(fileName);
        var btf = ObjectFiles.Btf(ObjectFiles.Elf(path));
        using var json = ExternalTool.BpftoolBtfJson(path);
        var kinds = BtfOracle.Compare(btf, json);
        Assert.True(kinds.ContainsKey(BtfKind.Func), "every test object has programs");
    }

    [Fact]
    public void KernelBtfMatchesBpftool()
    {
        using var json = ExternalTool.BpftoolBtfJson(ObjectFiles.VmlinuxPath);
        var kinds = BtfOracle.Compare(ObjectFiles.Vmlinux, json);
        // The kernel's BTF exercises the kinds clang-14 never emits into objects.
        foreach (var kind in new[] { BtfKind.Enum64, BtfKind.Float, BtfKind.DeclTag, BtfKind.TypeTag, BtfKind.Forward, BtfKind.Restrict })
            Assert.True(kinds.ContainsKey(kind), $"vmlinux has no {kind}");
    }

    [Fact]
    public void TestObjectsCoverTheObjectKinds()
    {
        var kinds = new HashSet<BtfKind>();
        foreach (var path in ObjectFiles.All())
        {
            var btf = ObjectFiles.Btf(ObjectFiles.Elf(path));
            for (int id = 1; id <= btf.TypeCount; id++)
                kinds.Add(btf.GetType(id).Kind);
        }
        foreach (var kind in new[] { BtfKind.Int, BtfKind.Pointer, BtfKind.Array, BtfKind.Struct, BtfKind.Union, BtfKind.Enum,
                     BtfKind.Typedef, BtfKind.Volatile, BtfKind.Const, BtfKind.Func, BtfKind.FuncProto, BtfKind.Var, BtfKind.Datasec })
            Assert.Contains(kind, kinds);
    }
}
