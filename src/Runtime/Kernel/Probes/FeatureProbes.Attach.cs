namespace BpfSkeleton
{
    public static partial class FeatureProbes
    {
        // Each probe's result once known (see Cached).
        private static ProbeBox? s_kprobePmu, s_uprobePmu, s_kprobeMultiLink, s_uprobeMultiLink;

        /// <summary>kprobes through the kprobe perf PMU (needs CONFIG_KPROBES and CONFIG_KPROBE_EVENTS).</summary>
        public static ProbeResult KprobePmu => Cached(ref s_kprobePmu, () => ProbePmu.Kprobe is null
            ? new ProbeResult(false, ProbePmu.KprobeUnavailableReason)
            : ProbeResult.Yes("kprobe PMU"));

        /// <summary>uprobes through the uprobe perf PMU (needs CONFIG_UPROBES and CONFIG_UPROBE_EVENTS).</summary>
        public static ProbeResult UprobePmu => Cached(ref s_uprobePmu, () => ProbePmu.Uprobe is null
            ? new ProbeResult(false, ProbePmu.UprobeUnavailableReason)
            : ProbeResult.Yes("uprobe PMU"));

        /// <summary>
        /// kprobe.multi links: a link at address 0 is refused with EINVAL by kernels that have them
        /// (nothing is attached) and with EOPNOTSUPP by kernels built without fprobe.
        /// </summary>
        public static ProbeResult KprobeMultiLink => Cached(ref s_kprobeMultiLink, () =>
        {
            const string what = "kprobe.multi links";
            if (!TryLoadReturnZero(BpfProgramType.KProbe, BpfAttachType.TraceKProbeMulti, what, out var handle, out var refused))
                return refused;
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

        /// <summary>
        /// uprobe.multi links (6.6+) whose pid filter means a process: a link for binary "/" is refused with
        /// EBADF by kernels that have them, and with pid -1 kernels that validate the pid answer EINVAL
        /// first (the first kernels with these links filtered threads, not processes; libbpf avoids them).
        /// </summary>
        public static ProbeResult UprobeMultiLink => Cached(ref s_uprobeMultiLink, () =>
        {
            const string what = "uprobe.multi links";
            if (!TryLoadReturnZero(BpfProgramType.KProbe, BpfAttachType.TraceUProbeMulti, what, out var handle, out var refused))
                return refused;
            using (handle)
            {
                int first = TryUprobeMulti(handle, processId: 0);
                if (first != -Interop.Errno.EBADF)
                    return ProbeResult.No(what, first >= 0 ? "a link on \"/\" was accepted" : $"{Interop.Errno.Name(-first)} for a link on \"/\"");
                int second = TryUprobeMulti(handle, processId: -1);
                return second == -Interop.Errno.EINVAL
                    ? ProbeResult.Yes(what)
                    : ProbeResult.No(what, "this kernel filters uprobe.multi links by thread, not process");
            }
        });

        /// <summary>Loads "return 0" as the given type; false with the kernel's refusal as the probe's answer.</summary>
        private static bool TryLoadReturnZero(BpfProgramType type, BpfAttachType attachType, string what,
            [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out BpfProgramHandle? handle, out ProbeResult refused)
        {
            try
            {
                handle = BpfProgramHandle.Load(new BpfProgramLoadOptions { Type = type, ExpectedAttachType = attachType, Instructions = Insn.ReturnZero });
                refused = default;
                return true;
            }
            catch (BpfException e)
            {
                handle = null;
                refused = ProbeResult.No(what, e.Errno);
                return false;
            }
        }

        /// <summary>link_create of a uprobe.multi link at offset 0 of "/"; the result or -errno (a created link is closed).</summary>
        private static unsafe int TryUprobeMulti(BpfProgramHandle handle, int processId)
        {
            ulong offset = 0;
            fixed (byte* path = BpfObjects.Utf8Z("/"))
            {
                var attr = BpfSkeleton.UprobeMultiLink.BuildAttr(BpfAttachType.TraceUProbeMulti, (ulong)path, (ulong)&offset, 0, 0, 1, isReturn: false, processId: 0);
                attr.UprobeMultiPid = unchecked((uint)processId);
                using var source = new FdLease(handle.Fd);
                attr.ProgOrMapFd = source.UFd;
                int result = Interop.Sys.Bpf(Interop.BpfCommand.LinkCreate, ref attr);
                if (result >= 0)
                    Interop.Libc.Close(result);
                return result;
            }
        }
    }
}
