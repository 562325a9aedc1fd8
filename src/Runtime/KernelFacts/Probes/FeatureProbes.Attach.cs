using BpfSkeleton.Handles;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;
using BpfSkeleton.Links;

namespace BpfSkeleton.KernelFacts
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
                int result = TryKprobeMultiAtZero(handle);
                if (result >= 0 || result == -Interop.Errno.EINVAL)
                    return ProbeResult.Yes(what);
                var error = BpfErrors.Create($"attach {handle} as kprobe.multi to 1 functions", -result, BpfCallKind.Create, KprobeMultiHint(-result));
                if (error is BpfNotSupportedException notSupported)
                    return new ProbeResult(false, notSupported.Hint ?? notSupported.Message);
                throw error;
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

        /// <summary>What an EOPNOTSUPP from a kprobe.multi link means; the link's own hint for that errno.</summary>
        internal static string FprobeMissing()
            => KernelConfig.IsAvailable && KernelConfig.Get("CONFIG_FPROBE") is null
                ? "kprobe.multi not available: CONFIG_FPROBE is off"
                : "kprobe.multi not available: the kernel lacks fprobe support (CONFIG_FPROBE, Linux 5.18+)";

        private static string? KprobeMultiHint(int errno)
            => errno is Interop.Errno.EOPNOTSUPP or Interop.Errno.ENOTSUPP ? FprobeMissing() : null;

        /// <summary>link_create of a kprobe.multi link at address 0; the result or -errno (a created link is closed).</summary>
        private static unsafe int TryKprobeMultiAtZero(BpfProgramHandle handle)
        {
            ulong address = 0;
            var attr = new LinkCreateAttr
            {
                AttachType = (uint)BpfAttachType.TraceKProbeMulti,
                KprobeMultiCount = 1,
                KprobeMultiAddresses = (ulong)&address,
            };
            return TryLinkCreate(handle, ref attr);
        }

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
                var attr = new LinkCreateAttr
                {
                    AttachType = (uint)BpfAttachType.TraceUProbeMulti,
                    UprobeMultiPath = (ulong)path,
                    UprobeMultiOffsets = (ulong)&offset,
                    UprobeMultiCount = 1,
                    UprobeMultiPid = unchecked((uint)processId),
                };
                return TryLinkCreate(handle, ref attr);
            }
        }

        /// <summary>link_create of the program with the attr's other fields; the result or -errno (a created link is closed).</summary>
        private static int TryLinkCreate(BpfProgramHandle handle, ref LinkCreateAttr attr)
        {
            using var source = new FdLease(handle.Fd);
            attr.ProgOrMapFd = source.UFd;
            int result = Interop.Sys.Bpf(Interop.BpfCommand.LinkCreate, ref attr);
            if (result >= 0)
                Interop.Libc.Close(result);
            return result;
        }
    }
}
