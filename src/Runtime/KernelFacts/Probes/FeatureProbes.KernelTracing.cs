using BpfSkeleton.Btf;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;

namespace BpfSkeleton.KernelFacts
{
    // Programs attached to kernel functions through BTF: fentry/fexit/fmod_ret and LSM.
    public static partial class FeatureProbes
    {
        // Each probe's result once known (see Cached).
        private static ProbeBox? s_fentryOnKernel, s_lsmPrograms;

        /// <summary>fentry/fexit programs on a kernel function (bpf_fentry_test1, which exists for this purpose).</summary>
        public static ProbeResult FentryOnKernel => Cached(ref s_fentryOnKernel, () =>
            ProbeKernelFunction("fentry on a kernel function", BpfProgramType.Tracing, BpfAttachType.TraceFEntry, "bpf_fentry_test1"));

        /// <summary>LSM programs (on bpf_lsm_file_open).</summary>
        public static ProbeResult LsmPrograms => Cached(ref s_lsmPrograms, () =>
            ProbeKernelFunction("LSM programs", BpfProgramType.Lsm, BpfAttachType.LsmMac, "bpf_lsm_file_open"));

        /// <summary>Loads "return 0" against a kernel function; it is never attached.</summary>
        private static ProbeResult ProbeKernelFunction(string what, BpfProgramType type, BpfAttachType attachType, string function)
        {
            if (!KernelTypes.Vmlinux.TryFindByName(function, BtfKind.Func, out int id))
                return ProbeResult.No(what, $"the kernel's BTF has no function '{function}'");
            var options = new BpfProgramLoadOptions
            {
                Type = type, ExpectedAttachType = attachType, AttachBtfId = (uint)id, Instructions = Insn.ReturnZero,
            };
            int result = BpfProgramHandle.ProbeLoad(options, withLog: false, out _);
            if (result >= 0)
                return ProbeResult.Yes(what);
            return ProbeResult.No(what, -result);
        }
    }
}
