using System;
using BpfSkeleton.Handles;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;

namespace BpfSkeleton.Links
{
    /// <summary>
    /// An sk_msg or sk_skb program attached to a sockmap or sockhash with BPF_PROG_ATTACH (no link:
    /// the map holds the program). Disposing detaches it with BPF_PROG_DETACH.
    /// </summary>
    public sealed class SockMapAttachment : IDisposable
    {
        private readonly BpfProgramHandle _program;
        private readonly BpfMap _map;
        private bool _detached;

        private SockMapAttachment(BpfProgramHandle program, BpfMap map, BpfAttachType attachType)
        {
            _program = program;
            _map = map;
            AttachType = attachType;
        }

        /// <summary>The attach type: which hook of the map the program serves (sk_msg verdict, sk_skb stream parser or verdict...).</summary>
        public BpfAttachType AttachType { get; }

        /// <param name="program">An sk_msg or sk_skb program.</param>
        /// <param name="map">A sockmap or sockhash.</param>
        /// <param name="attachType">SkMsgVerdict, SkSkbStreamParser, SkSkbStreamVerdict or SkSkbVerdict.</param>
        public static SockMapAttachment Attach(BpfProgramHandle program, BpfMap map, BpfAttachType attachType)
        {
            ArgumentNullException.ThrowIfNull(program);
            ArgumentNullException.ThrowIfNull(map);
            if (attachType is not (BpfAttachType.SkMsgVerdict or BpfAttachType.SkSkbStreamParser or BpfAttachType.SkSkbStreamVerdict or BpfAttachType.SkSkbVerdict))
                throw new ArgumentOutOfRangeException(nameof(attachType), attachType, "sockmap programs attach as SkMsgVerdict or SkSkb*.");
            Call(BpfCommand.ProgAttach, program, map, attachType, $"attach {program} to sockmap ({attachType})");
            return new SockMapAttachment(program, map, attachType);
        }

        /// <summary>Detaches now (BPF_PROG_DETACH); disposing afterwards does nothing.</summary>
        public void Detach()
        {
            if (_detached)
                return;
            Call(BpfCommand.ProgDetach, _program, _map, AttachType, $"detach {_program} from sockmap ({AttachType})");
            _detached = true;
        }

        /// <summary>Detaches the program from the map, as <see cref="Detach"/>.</summary>
        public void Dispose() => Detach();

        private static void Call(BpfCommand command, BpfProgramHandle program, BpfMap map, BpfAttachType attachType, string operation)
        {
            using var target = new FdLease(map.Fd);
            using var source = new FdLease(program.Fd);
            var attr = new ProgAttachAttr { Target = target.UFd, AttachBpfFd = source.UFd, AttachType = (uint)attachType };
            BpfErrors.Check(Sys.Bpf(command, ref attr), operation,
                hint: command == BpfCommand.ProgAttach ? "the program type must match the attach type, and the map must be a sockmap or sockhash" : null);
        }
    }
}
