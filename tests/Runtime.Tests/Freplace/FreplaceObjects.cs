using BpfSkeleton.Kernel;
using BpfSkeleton.Runtime.Tests.Infrastructure;

namespace BpfSkeleton.Runtime.Tests.Freplace;

/// <summary>freplace_target.bpf.o (a socket filter returning freplace_answer()) and freplace.bpf.o (its replacements).</summary>
internal static class FreplaceObjects
{
    /// <summary>What freplace_answer returns for a non-empty packet, and what new_answer returns instead.</summary>
    public const uint Original = 1, Replaced = 42;

    public const string Function = "freplace_answer";

    public static BpfObject LoadTarget() => TestObjects.Load("freplace_target");

    public static BpfProgramHandle TargetHandle(this BpfObject target) => target.Program("freplace_target").LoadedHandle;

    /// <summary>Runs the target once on a 64-byte packet; its return value is freplace_answer's.</summary>
    public static uint Run(this BpfObject target)
        => target.Program("freplace_target").TestRun(new BpfTestRunOptions { DataIn = new byte[64] }).ReturnValue;

    /// <summary>Opens freplace.bpf.o with only <paramref name="program"/> loading, aimed at the target's function.</summary>
    public static BpfObject OpenReplacement(string program, BpfProgramHandle? target, string? function = null)
    {
        var obj = BpfObject.Open(TestObjects.PathOf("freplace"));
        foreach (var each in obj.Programs)
            each.AutoLoad = each.Name == program;
        if (target is not null)
            obj.Program(program).SetAttachTarget(target, function);
        return obj;
    }
}
