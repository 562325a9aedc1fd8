using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;

namespace BpfSkeleton.KernelFacts
{
    // Programs loaded against another BPF program (attach_prog_fd): freplace, fentry/fexit on a program.
    public static partial class FeatureProbes
    {
        // Each probe's result once known (see Cached).
        private static ProbeBox? s_programExtension, s_fentryOnProgram;

        /// <summary>freplace: Ext programs loaded against a BPF program's global function.</summary>
        public static ProbeResult ProgramExtension => Cached(ref s_programExtension, () =>
            ProbeAgainstProgram("freplace (Ext programs against a BPF program)", BpfProgramType.Ext, null));

        /// <summary>fentry/fexit programs loaded against a function of a BPF program.</summary>
        public static ProbeResult FentryOnProgram => Cached(ref s_fentryOnProgram, () =>
            ProbeAgainstProgram("fentry on a BPF program", BpfProgramType.Tracing, BpfAttachType.TraceFEntry));

        /// <summary>
        /// Loads the program against a BTF-less socket filter: a kernel that allows it gets as far as
        /// checking the target and explains in the log why one without BTF cannot be a target; a
        /// kernel that refuses these programs (EPERM as root: a lockdown, an LSM or a kernel policy)
        /// or lacks them answers without a log.
        /// </summary>
        private static ProbeResult ProbeAgainstProgram(string what, BpfProgramType type, BpfAttachType? attachType)
        {
            if (!TryLoadReturnZero(what, out var target, out var failure))
                return failure;
            using (target)
            {
                var options = new BpfProgramLoadOptions
                {
                    Type = type, ExpectedAttachType = attachType, AttachProgram = target, AttachBtfId = 1, Instructions = Insn.ReturnZero,
                };
                int result = BpfProgramHandle.ProbeLoad(options, withLog: true, out string log);
                if (result >= 0 || log.Length > 0)
                    return ProbeResult.Yes(what);
                return ProbeResult.No(what, -result);
            }
        }
    }
}
