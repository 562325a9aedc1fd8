using BpfSkeleton.Handles;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;

namespace BpfSkeleton.Links
{
    /// <summary>Raw tracepoint (raw_tp) and BTF-typed tracing (tp_btf, fentry, fexit...) attachments.</summary>
    public sealed unsafe class RawTracepointLink : BpfLink
    {
        private RawTracepointLink(BpfFileDescriptor fd) : base(fd)
        {
        }

        /// <summary>Attaches a raw tracepoint program to <paramref name="tracepoint"/> (e.g. "sys_enter") with BPF_RAW_TRACEPOINT_OPEN.</summary>
        public static RawTracepointLink Attach(BpfProgramHandle program, string tracepoint, ulong cookie = 0)
        {
            int result = Open(program, tracepoint, cookie, out var fd);
            if (result < 0)
                BpfErrors.Throw($"attach {program} to raw tracepoint '{tracepoint}'", -result, BpfCallKind.Create,
                    result == -Errno.ENOENT ? "no such raw tracepoint" : LinkHint(-result));
            return new RawTracepointLink(fd!);
        }

        /// <summary>
        /// BPF_RAW_TRACEPOINT_OPEN; with no <paramref name="tracepoint"/>, the tracing target fixed at load
        /// (how kernels before tracing links attach fentry and friends). Returns the fd or <c>-errno</c>;
        /// on failure <paramref name="fd"/> is null and nothing is left open.
        /// </summary>
        internal static int Open(BpfProgramHandle program, string? tracepoint, ulong cookie, out BpfFileDescriptor? fd)
        {
            using var lease = new FdLease(program.Fd);
            fixed (byte* name = tracepoint is null ? null : BpfObjects.Utf8Z(tracepoint))
            {
                var attr = new RawTracepointOpenAttr { Name = (ulong)name, ProgFd = lease.UFd, Cookie = cookie };
                var created = new BpfFileDescriptor();
                int result = Sys.Bpf(BpfCommand.RawTracepointOpen, ref attr);
                if (result < 0)
                {
                    created.Dispose();
                    fd = null;
                    return result;
                }
                created.Adopt(result);
                fd = created;
                return result;
            }
        }

        /// <summary>
        /// Attaches a tracing program whose target was fixed at load by its attach BTF id (tp_btf,
        /// fentry/fexit, fmod_ret, lsm), as <see cref="TracingLink.Attach"/> does.
        /// </summary>
        public static RawTracepointLink AttachTracing(BpfProgramHandle program, ulong cookie = 0)
        {
            BpfAttachType attachType = program.ExpectedAttachType ?? BpfAttachType.TraceRawTp;
            return new RawTracepointLink(TracingLink.CreateFd(program, attachType, cookie, $"attach {program} ({attachType})"));
        }
    }
}
