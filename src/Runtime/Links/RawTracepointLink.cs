using BpfSkeleton.Interop;

namespace BpfSkeleton
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
            using var lease = new FdLease(program.Fd);
            fixed (byte* name = BpfObjects.Utf8Z(tracepoint))
            {
                var attr = new RawTracepointOpenAttr { Name = (ulong)name, ProgFd = lease.UFd, Cookie = cookie };
                var fd = new BpfFileDescriptor();
                int result = Sys.Bpf(BpfCommand.RawTracepointOpen, ref attr);
                if (result < 0)
                {
                    fd.Dispose();
                    BpfErrors.Throw($"attach {program} to raw tracepoint '{tracepoint}'", -result, BpfCallKind.Create,
                        result == -Errno.ENOENT ? "no such raw tracepoint" : LinkHint(-result));
                }
                fd.Adopt(result);
                return new RawTracepointLink(fd);
            }
        }

        /// <summary>
        /// Attaches a tracing program whose target was fixed at load by its attach BTF id (tp_btf,
        /// fentry/fexit, fmod_ret) with BPF_LINK_CREATE.
        /// </summary>
        public static RawTracepointLink AttachTracing(BpfProgramHandle program, ulong cookie = 0)
        {
            BpfAttachType attachType = program.ExpectedAttachType ?? BpfAttachType.TraceRawTp;
            var attr = new LinkCreateAttr { TracingCookie = cookie };
            return new RawTracepointLink(Create(program.Fd, 0, attachType, 0, attr, $"attach {program} ({attachType})"));
        }
    }
}
