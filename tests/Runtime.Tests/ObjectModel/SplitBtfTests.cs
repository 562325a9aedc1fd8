using System.IO;
using BpfSkeleton.Btf;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.ObjectModel;

/// <summary>Split BTF (module BTF on top of vmlinux) continues the base's ids and strings; bpftool -B is the oracle.</summary>
public class SplitBtfTests
{
    [Fact]
    public void SplitOnKernelBtfMatchesBpftool()
    {
        var kernel = ObjectFiles.Vmlinux;
        Assert.True(kernel.TryFindByName("task_struct", BtfKind.Struct, out int task));
        Assert.True(kernel.TryFindByName("int", BtfKind.Int, out int intId));

        var split = new BtfBuilder(firstTypeId: kernel.TypeCount + 1, firstStringOffset: kernel.EndStringOffset);
        int ptr = split.Pointer(task);
        // A name that reuses a base string offset, as deduplicated module BTF does.
        int typedefId = split.AddRaw(kernel.GetType(task).NameOffset, (uint)BtfKind.Typedef << 24, (uint)ptr);
        int module = split.Struct("module_state", 16, ("task", ptr, 0), ("count", intId, 64));
        byte[] bytes = split.Build();

        var spec = BtfSpec.Parse(bytes, "module", kernel);
        Assert.Same(kernel, spec.Base);
        Assert.Equal(kernel.TypeCount + 1, spec.FirstTypeId);
        Assert.Equal(kernel.TypeCount + 3, spec.TypeCount);
        Assert.Equal("task_struct", spec.GetType(typedefId).Name);
        Assert.Equal("struct task_struct *", spec.GetTypeName(ptr));
        Assert.Equal(16, spec.ResolveSize(module));
        Assert.Equal(8, spec.ResolveAlignment(module));
        Assert.True(spec.TryFindByName("task_struct", BtfKind.Struct, out int found));
        Assert.Equal(task, found);
        Assert.True(spec.TryFindByName("module_state", BtfKind.Struct, out found));
        Assert.Equal(module, found);
        Assert.Equal(new[] { typedefId }, spec.FindAllByName("task_struct", BtfKind.Typedef));
        Assert.Equal(kernel.GetType(task).Name, spec.GetType(task).Name);

        var file = Path.Combine(Path.GetTempPath(), $"bpfsk-split-{System.Environment.ProcessId}.btf");
        File.WriteAllBytes(file, bytes);
        try
        {
            using var json = ExternalTool.BpftoolBtfJson(file, ObjectFiles.VmlinuxPath);
            BtfOracle.Compare(spec, json);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void SplitIdsAndStringsAreValidatedAgainstTheBase()
    {
        var baseBuilder = new BtfBuilder();
        baseBuilder.Int("int", 4, BtfIntFlags.Signed);
        var baseSpec = BtfSpec.Parse(baseBuilder.Build(), "base");

        var split = new BtfBuilder(firstTypeId: 2, firstStringOffset: baseSpec.EndStringOffset);
        int ptr = split.Pointer(1);
        int bad = split.Pointer(99);
        int badName = split.AddRaw(baseSpec.EndStringOffset + 1000, (uint)BtfKind.Typedef << 24, 1);
        var spec = BtfSpec.Parse(split.Build(), "split", baseSpec);

        Assert.Equal("int *", spec.GetTypeName(ptr));
        Assert.Equal(BtfKind.Int, spec.GetType(1).Kind);
        Assert.Throws<BpfFormatException>(() => spec.ResolveSize(spec.GetType(bad).TypeId));
        Assert.Throws<BpfFormatException>(() => spec.GetType(badName).Name);
    }
}
