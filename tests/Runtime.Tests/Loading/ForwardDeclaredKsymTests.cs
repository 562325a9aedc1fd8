using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Loading;

/// <summary>A typed weak ksym of a forward-declared type opens, loads, and resolves to NULL where the kernel lacks it.</summary>
[Collection("Kernel")]
public class ForwardDeclaredKsymTests
{
    [KernelFact(BpfProgramType.Syscall)]
    public void AWeakKsymOfAnOpaqueTypeOpensAndResolvesToNull()
    {
        using var obj = BpfObject.Open(TestObjects.PathOf("ksym_forward"));
        var ksym = Assert.Single(obj.Spec.Externs, e => e.Name == "bpfsk_missing_opaque");
        Assert.True(ksym.IsTyped);
        Assert.Equal(0, ksym.Size);
        obj.Load();
        Assert.Equal(2u, obj.Program("probe_opaque").TestRun().ReturnValue); // the weak symbol is NULL
    }
}
