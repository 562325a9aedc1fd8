using System;
using BpfSkeleton.Kernel;
using BpfSkeleton.Loading;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Freplace;

/// <summary>
/// Attach targets that cannot work fail before anything is loaded, saying why. These run on any
/// kernel: the target's BTF is read back from the kernel, but the freplace program is never loaded.
/// </summary>
[Collection("Kernel")]
public class FreplaceTargetErrorTests
{
    [KernelFact]
    public void TheTargetsBtfIsReadBackFromTheKernel()
    {
        using var target = FreplaceObjects.LoadTarget();
        int id = TargetProgramBtf.FindFunction(target.TargetHandle(), FreplaceObjects.Function);
        Assert.True(target.Spec.Btf!.TryFindByName(FreplaceObjects.Function, Btf.BtfKind.Func, out int objectId));
        Assert.Equal(objectId, id); // the kernel holds the object's BTF, ids unchanged
    }

    [KernelFact]
    public void AFunctionTheTargetLacksIsReportedWithWhatItHas()
    {
        var leaks = new LeakCheck();
        using (var target = FreplaceObjects.LoadTarget())
        {
            using var ext = FreplaceObjects.OpenReplacement("new_answer", target.TargetHandle(), "no_such_function");
            var e = Assert.Throws<BpfLoadException>(ext.Load);
            Assert.Contains("freplace.bpf.o: program 'new_answer': program 'freplace_target' (SocketFilter, id ", e.Message);
            Assert.EndsWith("has no function 'no_such_function' in its BTF (its BTF has freplace_answer, freplace_target)", e.Message);
        }
        leaks.AssertNothingLeaked();
    }

    [KernelFact]
    public void ATargetWithoutBtfIsReported()
    {
        var leaks = new LeakCheck();
        using (var bare = BpfProgramHandle.Load(new BpfProgramLoadOptions
        {
            Type = BpfProgramType.SocketFilter, Name = "no_btf", Instructions = Asm.Program(Asm.Mov64Imm(Asm.R0, 0), Asm.Exit()),
        }))
        {
            using var ext = FreplaceObjects.OpenReplacement("new_answer", bare);
            var e = Assert.Throws<BpfLoadException>(ext.Load);
            Assert.Contains("program 'new_answer': program 'no_btf' (SocketFilter, id ", e.Message);
            Assert.Contains("has no BTF, so none of its functions can be found by name", e.Message);
        }
        leaks.AssertNothingLeaked();
    }

    [KernelFact]
    public void AFreplaceProgramWithoutATargetSaysToSetOne()
    {
        using var ext = FreplaceObjects.OpenReplacement("new_answer", target: null);
        Assert.False(ext.Program("new_answer").CanAutoAttach);
        var e = Assert.Throws<BpfLoadException>(ext.Load);
        Assert.Contains("program 'new_answer' is a freplace program", e.Message);
        Assert.Contains("SetAttachTarget(targetProgram, \"freplace_answer\")", e.Message);
    }

    [KernelFact]
    public void SetAttachTargetChecksTheProgramAndTheState()
    {
        using var target = FreplaceObjects.LoadTarget();
        using var ext = FreplaceObjects.OpenReplacement("new_answer", target: null);
        var replacement = ext.Program("new_answer");
        Assert.Throws<ArgumentNullException>(() => replacement.SetAttachTarget(null, "bpf_fentry_test1")); // freplace needs a program

        // A kernel function instead of a program: what the section would have named.
        var fentry = ext.Program("on_answer_entry");
        fentry.SetAttachTarget(null, "bpf_fentry_test1");
        Assert.Equal("bpf_fentry_test1", fentry.Spec.AttachTarget);

        Assert.Throws<InvalidOperationException>(() => target.Program("freplace_target").SetAttachTarget(target.TargetHandle(), "x")); // loaded
        Assert.Throws<InvalidOperationException>(() => target.Program("freplace_target").AttachFreplace(target.TargetHandle(), FreplaceObjects.Function)); // not Ext
    }
}
