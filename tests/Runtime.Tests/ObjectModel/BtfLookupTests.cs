using System.Collections.Generic;
using System.Linq;
using BpfSkeleton.Btf;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.ObjectModel;

/// <summary>Name lookups agree with a plain scan; resolvers agree with the sizes BTF states.</summary>
public class BtfLookupTests
{
    private static List<int> Scan(BtfSpec btf, string name, BtfKind kind)
    {
        var ids = new List<int>();
        for (int id = 1; id <= btf.TypeCount; id++)
        {
            var t = btf.GetType(id);
            if (t.Kind == kind && t.HasName && t.Name == name)
                ids.Add(id);
        }
        return ids;
    }

    [Theory]
    [InlineData("task_struct", nameof(BtfKind.Struct))]
    [InlineData("tcp_congestion_ops", nameof(BtfKind.Struct))]
    [InlineData("bpf_struct_ops_tcp_congestion_ops", nameof(BtfKind.Struct))]
    [InlineData("u32", nameof(BtfKind.Typedef))]
    [InlineData("bpf_map_type", nameof(BtfKind.Enum))]
    [InlineData("perf_event_sample_format", nameof(BtfKind.Enum64))]
    [InlineData("bpf_task_acquire", nameof(BtfKind.Func))]
    [InlineData("runqueues", nameof(BtfKind.Var))]
    [InlineData(".data..percpu", nameof(BtfKind.Datasec))]
    [InlineData("unsigned int", nameof(BtfKind.Int))]
    [InlineData("double", nameof(BtfKind.Float))]
    [InlineData("bpf_kfunc", nameof(BtfKind.DeclTag))]
    [InlineData("no_such_type_anywhere", nameof(BtfKind.Struct))]
    [InlineData("task_struct", nameof(BtfKind.Union))]
    public void KernelLookupsMatchAScan(string name, string kindName)
    {
        // By name: BtfKind is internal, and a public test method cannot take it.
        var kind = System.Enum.Parse<BtfKind>(kindName);
        var btf = ObjectFiles.Vmlinux;
        var expected = Scan(btf, name, kind);
        Assert.Equal(expected, btf.FindAllByName(name, kind));
        Assert.Equal(expected.Count > 0, btf.TryFindByName(name, kind, out int id));
        Assert.Equal(expected.Count > 0 ? expected[0] : 0, id);
    }

    [Fact]
    public void VoidIsFoundAsUnknown()
    {
        Assert.True(ObjectFiles.Vmlinux.TryFindByName("void", BtfKind.Unknown, out int id));
        Assert.Equal(0, id);
        var v = ObjectFiles.Vmlinux.GetType(0);
        Assert.True(v.IsVoid);
        Assert.Equal(BtfKind.Unknown, v.Kind);
        Assert.Equal("void", ObjectFiles.Vmlinux.GetTypeName(0));
    }

    [Fact]
    public void EveryKernelTypeResolves()
    {
        var btf = ObjectFiles.Vmlinux;
        int sized = 0;
        for (int id = 1; id <= btf.TypeCount; id++)
        {
            var t = btf.GetType(id);
            switch (t.Kind)
            {
                case BtfKind.Struct or BtfKind.Union or BtfKind.Int or BtfKind.Enum or BtfKind.Enum64 or BtfKind.Float:
                    Assert.Equal(t.Size, (ulong)btf.ResolveSize(id));
                    int align = btf.ResolveAlignment(id);
                    Assert.True(align is 1 or 2 or 4 or 8 || (align == 16 && t.Kind is BtfKind.Struct or BtfKind.Union), $"{t}: alignment {align}");
                    sized++;
                    break;
                case BtfKind.Array:
                    var array = t.Array;
                    if (btf.GetType(btf.SkipModifiersAndTypedefs(array.ElementTypeId)).Kind is not (BtfKind.Forward or BtfKind.FuncProto))
                        Assert.Equal(array.Count * btf.ResolveSize(array.ElementTypeId), btf.ResolveSize(id));
                    break;
                case BtfKind.Pointer:
                    Assert.Equal(8, btf.ResolveSize(id));
                    Assert.Equal(8, btf.ResolveAlignment(id));
                    break;
                case BtfKind.Typedef or BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.TypeTag:
                    int target = btf.SkipModifiersAndTypedefs(id);
                    Assert.DoesNotContain(btf.GetType(target).Kind, new[] { BtfKind.Typedef, BtfKind.Const, BtfKind.Volatile, BtfKind.Restrict, BtfKind.TypeTag });
                    if (t.Kind != BtfKind.Typedef)
                        Assert.NotEqual(BtfKind.Const, btf.GetType(btf.SkipModifiers(id)).Kind);
                    break;
                case BtfKind.Var:
                    if (btf.GetType(btf.SkipModifiersAndTypedefs(t.TypeId)).Kind is not (BtfKind.Forward or BtfKind.FuncProto or BtfKind.Unknown))
                        Assert.Equal(btf.ResolveSize(t.TypeId), btf.ResolveSize(id));
                    break;
            }
            Assert.NotEmpty(btf.GetTypeName(id));
        }
        Assert.True(sized > 10000);
    }

    [Fact]
    public void UnsizedTypesThrowFormatErrors()
    {
        var btf = ObjectFiles.Vmlinux;
        Assert.Throws<BpfFormatException>(() => btf.ResolveSize(0));
        Assert.True(btf.TryFindByName("bpf_task_acquire", BtfKind.Func, out int func));
        Assert.Throws<BpfFormatException>(() => btf.ResolveSize(func));
        Assert.Throws<BpfFormatException>(() => btf.ResolveAlignment(func));
        Assert.Throws<BpfFormatException>(() => btf.GetType(btf.TypeCount + 1));
        Assert.Throws<BpfFormatException>(() => btf.GetType(-1));
    }

    [Fact]
    public void DisplayNamesReadLikeC()
    {
        var elf = ObjectFiles.Elf(ObjectFiles.Named("globals"));
        var btf = ObjectFiles.Btf(elf);
        string VarType(string name)
        {
            Assert.True(btf.TryFindByName(name, BtfKind.Var, out int id));
            return btf.GetTypeName(btf.GetType(id).TypeId);
        }
        Assert.Equal("char[16]", VarType("data_name"));
        Assert.Equal("struct point", VarType("bss_point"));
        Assert.Equal("__u64", VarType("bss_counter"));
        Assert.Equal("const volatile __u32", VarType("rodata_multiplier"));
        Assert.Equal("const volatile enum color", VarType("rodata_color"));
        Assert.True(btf.TryFindByName("sum_cb", BtfKind.Func, out int cb));
        Assert.Equal("int (__u32, void *)", btf.GetTypeName(btf.GetType(cb).TypeId));
        Assert.Equal(BtfFuncLinkage.Static, btf.GetType(cb).FuncLinkage);

        var kernel = ObjectFiles.Vmlinux;
        Assert.True(kernel.TryFindByName("unsigned int", BtfKind.Int, out int ui));
        Assert.Equal("unsigned int", kernel.GetTypeName(ui));
        Assert.True(kernel.TryFindByName("tcp_congestion_ops", BtfKind.Struct, out int ops));
        var ssthresh = kernel.GetType(ops).Members.Cast().First(m => m.Name == "ssthresh");
        Assert.Equal("u32 (*)(struct sock *)", kernel.GetTypeName(ssthresh.TypeId));
    }

    [Fact]
    public void MembersHonourKindFlagBitfields()
    {
        var btf = ObjectFiles.Vmlinux;
        Assert.True(btf.TryFindByName("task_struct", BtfKind.Struct, out int id));
        var t = btf.GetType(id);
        var inExecve = t.Members.Cast().Single(m => m.Name == "in_execve");
        Assert.Equal(1, inExecve.BitfieldSize);
        Assert.True(t.KindFlag);
        int count = 0;
        foreach (var member in t.Members)
            count++;
        Assert.Equal(t.Vlen, count);
    }
}

internal static class MemberListExtensions
{
    public static IEnumerable<BtfMember> Cast(this BtfType.MemberList members)
    {
        var list = new List<BtfMember>();
        foreach (var m in members)
            list.Add(m);
        return list;
    }
}
