using BpfSkeleton.Handles;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;
using BpfSkeleton.Loading;

namespace BpfSkeleton.Links
{
    /// <summary>
    /// A tracing link (BPF_LINK_TYPE_TRACING) of a freplace program, or of an fentry/fexit program
    /// loaded against a BPF program. Disposing it puts the replaced function back (freplace) or
    /// stops tracing it.
    /// </summary>
    public sealed unsafe class TracingLink : BpfLink
    {
        private TracingLink(BpfFileDescriptor fd) : base(fd)
        {
        }

        /// <summary>
        /// Attaches to the target fixed at load (attach_prog_fd and attach_btf_id). The kernel takes
        /// that target once: after this link is gone, a freplace program attaches again only with
        /// <see cref="AttachFreplace"/>.
        /// </summary>
        public static TracingLink Attach(BpfProgramHandle program, ulong cookie = 0)
        {
            // The kernel refuses an attach type on freplace links; tracing links repeat the load's.
            BpfAttachType attachType = program.Type == BpfProgramType.Ext ? BpfAttachType.None : program.ExpectedAttachType ?? BpfAttachType.TraceFEntry;
            return new TracingLink(CreateFd(program, attachType, cookie, $"attach {program} to its load-time target"));
        }

        /// <summary>
        /// The link fd of a program attached to the target fixed at load (freplace, fentry/fexit,
        /// fmod_ret, tp_btf, lsm): BPF_LINK_CREATE, or as libbpf on kernels without tracing links
        /// (before 5.10) BPF_RAW_TRACEPOINT_OPEN with no tracepoint name. Where that fails too, the
        /// link error is the one reported.
        /// </summary>
        internal static BpfFileDescriptor CreateFd(BpfProgramHandle program, BpfAttachType attachType, ulong cookie, string operation)
        {
            try
            {
                return Create(program.Fd, 0, attachType, 0, new LinkCreateAttr { TracingCookie = cookie }, operation);
            }
            catch (BpfException e) when (e.Errno == Errno.EINVAL && cookie == 0)
            {
                if (RawTracepointLink.Open(program, null, 0, out var fallback) >= 0)
                    return fallback!;
                throw;
            }
        }

        /// <summary>
        /// Replaces global function <paramref name="functionName"/> of <paramref name="target"/> with
        /// <paramref name="program"/> (an Ext program), whatever target it was loaded against, as
        /// libbpf's bpf_program__attach_freplace: the function's id is looked up in the target's BTF.
        /// </summary>
        public static TracingLink AttachFreplace(BpfProgramHandle program, BpfProgramHandle target, string functionName)
        {
            if (program.Type != BpfProgramType.Ext)
                throw new System.InvalidOperationException($"{program} is not a freplace (Ext) program");
            int btfId = TargetProgramBtf.FindFunction(target, functionName);
            using var targetLease = new FdLease(target.Fd);
            var attr = new LinkCreateAttr { TargetBtfId = (uint)btfId };
            return new TracingLink(Create(program.Fd, targetLease.UFd, BpfAttachType.None, 0, attr,
                $"attach {program} in place of '{functionName}' (BTF id {btfId}) of {target}"));
        }
    }
}
