using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Links;
using BpfSkeleton.Loading;
using BpfSkeleton.Runtime.Tests.Attach;
using BpfSkeleton.Runtime.Tests.Infrastructure;
using BpfSkeleton.Runtime.Tests.Kernel;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Freplace;

/// <summary>
/// freplace (Ext) and fentry on a BPF program, end to end where the kernel allows them; where it
/// refuses them at load (EPERM as root, as some kernels do), the refusal must say so.
/// </summary>
[Collection("Kernel")]
public class FreplaceTests
{
    [KernelFact(nameof(FeatureProbes.ProgramExtension))]
    public void FreplaceReplacesTheTargetFunctionWhileLinked()
    {
        var leaks = new LeakCheck();
        using (var target = FreplaceObjects.LoadTarget())
        {
            Assert.Equal(FreplaceObjects.Original, target.Run());
            using var ext = FreplaceObjects.OpenReplacement("new_answer", target.TargetHandle());
            ext.Load();
            var program = ext.Program("new_answer");
            Assert.True(program.CanAutoAttach);

            // The load-time target (attach_prog_fd + attach_btf_id), through the section's attach.
            using (var link = Assert.IsType<TracingLink>(program.Attach()))
            {
                var info = link.Info;
                Assert.Equal(BpfLinkType.Tracing, info.Type);
                Assert.Equal(target.TargetHandle().Id, info.TargetObjectId);
                Assert.Equal((uint)TargetProgramBtf.FindFunction(target.TargetHandle(), FreplaceObjects.Function), info.TargetBtfId);
                Assert.Equal(FreplaceObjects.Replaced, target.Run());
            }
            Assert.Equal(FreplaceObjects.Original, target.Run());

            // The kernel gives the load-time target away with the first link; naming it again works.
            using (program.AttachFreplace(target.TargetHandle(), FreplaceObjects.Function))
                Assert.Equal(FreplaceObjects.Replaced, target.Run());
            Assert.Equal(FreplaceObjects.Original, target.Run());
        }
        leaks.AssertNothingLeaked();
    }

    [KernelFact(nameof(FeatureProbes.FentryOnProgram))]
    public void FentryTracesTheTargetProgramsFunction()
    {
        var leaks = new LeakCheck();
        using (var target = FreplaceObjects.LoadTarget())
        {
            using var tracer = FreplaceObjects.OpenReplacement("on_answer_entry", target.TargetHandle());
            tracer.Load();
            var calls = tracer.GlobalDataSection(".bss");
            using (var link = Assert.IsType<TracingLink>(tracer.Program("on_answer_entry").Attach()))
            {
                Assert.Equal(BpfAttachType.TraceFEntry, link.Info.AttachType);
                target.Run();
                target.Run();
            }
            target.Run();
            Assert.Equal(2ul, calls.Read<ulong>(0));
            Assert.Equal(FreplaceObjects.Original, target.Run()); // traced, not replaced
        }
        leaks.AssertNothingLeaked();
    }

    /// <summary>
    /// Whatever the kernel: the probe agrees with a real load, and a refusal names the program, its
    /// target, the errno and why — never a bare EPERM.
    /// </summary>
    [KernelFact]
    public void LoadAgainstAProgramMatchesTheProbeAndExplainsARefusal()
    {
        var leaks = new LeakCheck();
        using (var target = FreplaceObjects.LoadTarget())
        {
            foreach (var (program, probe, kind) in new[]
            {
                ("new_answer", FeatureProbes.ProgramExtension, "Ext"),
                ("on_answer_entry", FeatureProbes.FentryOnProgram, "Tracing"),
            })
            {
                using var obj = FreplaceObjects.OpenReplacement(program, target.TargetHandle());
                if (probe.Supported)
                {
                    obj.Load();
                    continue;
                }
                // Refused as the probe was (EPERM here: a kernel policy), and the message says which program and target.
                var e = Assert.ThrowsAny<BpfException>(obj.Load);
                Assert.Contains(e.ErrnoName, probe.Reason);
                Assert.Contains($"load program '{program}' ({kind} against program 'freplace_target'", e.Message);
                Assert.Contains("BTF id", e.Message);
                if (e.Errno == 1)
                    Assert.Contains("refused although running as root", e.Message);
                Assert.Equal(BpfObjectState.Failed, obj.State); // and nothing of it left in the kernel (checked below)
            }
        }
        leaks.AssertNothingLeaked();
    }
}
