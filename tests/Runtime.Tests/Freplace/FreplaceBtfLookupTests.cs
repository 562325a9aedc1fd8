using System.Linq;
using BpfSkeleton.Btf;
using BpfSkeleton.Loading;
using BpfSkeleton.Runtime.Tests.ObjectModel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Freplace;

/// <summary>Finding the replaced or traced function in a target program's BTF, and what a miss reports (no kernel).</summary>
public class FreplaceBtfLookupTests
{
    private static BtfSpec WithFunctions(params string[] names)
    {
        var b = new BtfBuilder();
        int integer = b.Int("int", 4, BtfIntFlags.Signed);
        int proto = b.Add(BtfKind.FuncProto, null, 0, (uint)integer);
        foreach (string name in names)
            b.Add(BtfKind.Func, name, 1, (uint)proto); // vlen is the linkage: global
        return BtfSpec.Parse(b.Build(), "target.btf");
    }

    [Fact]
    public void FindsTheFunctionsId()
    {
        var spec = WithFunctions("main_prog", "answer");
        Assert.Equal(4, TargetProgramBtf.FindFunction(spec, "answer", "program 't'"));
    }

    [Fact]
    public void OtherKindsOfTheSameNameDoNotCount()
    {
        var spec = WithFunctions("main_prog");
        var e = Assert.Throws<BpfLoadException>(() => TargetProgramBtf.FindFunction(spec, "int", "program 't'"));
        Assert.Equal("program 't' has no function 'int' in its BTF (its BTF has main_prog)", e.Message);
    }

    [Fact]
    public void AMissListsTheFunctionsThereAre()
    {
        var spec = WithFunctions("main_prog", "answer");
        var e = Assert.Throws<BpfLoadException>(() => TargetProgramBtf.FindFunction(spec, "nope", "program 't' (SocketFilter, id 7)"));
        Assert.Equal("program 't' (SocketFilter, id 7) has no function 'nope' in its BTF (its BTF has main_prog, answer)", e.Message);
    }

    [Fact]
    public void ALongListIsCutShortWithACount()
    {
        var spec = WithFunctions(Enumerable.Range(0, 20).Select(i => $"f{i}").ToArray());
        var e = Assert.Throws<BpfLoadException>(() => TargetProgramBtf.FindFunction(spec, "nope", "program 't'"));
        Assert.EndsWith("(its BTF has f0, f1, f2, f3, f4, f5, f6, f7, … (20 functions))", e.Message);
    }

    [Fact]
    public void BtfWithoutFunctionsSaysSo()
    {
        var e = Assert.Throws<BpfLoadException>(() => TargetProgramBtf.FindFunction(WithFunctions(), "answer", "program 't'"));
        Assert.Contains("its BTF has no functions at all", e.Message);
    }
}
