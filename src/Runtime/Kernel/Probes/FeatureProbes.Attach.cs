namespace BpfSkeleton
{
    public static partial class FeatureProbes
    {
        /// <summary>kprobes through the kprobe perf PMU (needs CONFIG_KPROBES and CONFIG_KPROBE_EVENTS).</summary>
        public static ProbeResult KprobePmu => Cached(nameof(KprobePmu), () => ProbePmu.Kprobe is null
            ? new ProbeResult(false, ProbePmu.KprobeUnavailableReason)
            : ProbeResult.Yes("kprobe PMU"));

        /// <summary>uprobes through the uprobe perf PMU (needs CONFIG_UPROBES and CONFIG_UPROBE_EVENTS).</summary>
        public static ProbeResult UprobePmu => Cached(nameof(UprobePmu), () => ProbePmu.Uprobe is null
            ? new ProbeResult(false, ProbePmu.UprobeUnavailableReason)
            : ProbeResult.Yes("uprobe PMU"));

        /// <summary>
        /// kprobe.multi links: a link at address 0 is refused with EINVAL by kernels that have them
        /// (nothing is attached) and with EOPNOTSUPP by kernels built without fprobe.
        /// </summary>
        public static ProbeResult KprobeMultiLink => Cached(nameof(KprobeMultiLink), () =>
        {
            const string what = "kprobe.multi links";
            ulong[] program = { Insn.Mov64Imm(Insn.R0, 0), Insn.Exit() };
            BpfProgramHandle handle;
            try
            {
                handle = BpfProgramHandle.Load(new BpfProgramLoadOptions
                {
                    Type = BpfProgramType.KProbe, ExpectedAttachType = BpfAttachType.TraceKProbeMulti, Instructions = program,
                });
            }
            catch (BpfException e)
            {
                return ProbeResult.No(what, e.Errno);
            }
            using (handle)
            {
                try
                {
                    using var link = BpfSkeleton.KprobeMultiLink.Attach(handle, new KprobeMultiOptions { Addresses = new ulong[] { 0 } });
                    return ProbeResult.Yes(what);
                }
                catch (BpfNotSupportedException e)
                {
                    return new ProbeResult(false, e.Hint ?? e.Message);
                }
                catch (BpfException e) when (e.Errno == Interop.Errno.EINVAL)
                {
                    return ProbeResult.Yes(what);
                }
            }
        });
    }
}
