using System;
using BpfSkeleton.Handles;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;

namespace BpfSkeleton.Links
{
    /// <summary>A sched_cls program attached to a device's tcx ingress or egress hook (6.6+).</summary>
    public sealed class TcxLink : BpfLink
    {
        private TcxLink(BpfFileDescriptor fd) : base(fd)
        {
        }

        /// <summary>Attaches to the device with <paramref name="ifIndex"/> (in the calling thread's network namespace).</summary>
        /// <param name="program">A sched_cls program.</param>
        /// <param name="ifIndex">The network device.</param>
        /// <param name="attachType"><see cref="BpfAttachType.TcxIngress"/> or <see cref="BpfAttachType.TcxEgress"/>.</param>
        /// <param name="flags">BPF_F_BEFORE / BPF_F_AFTER / BPF_F_ID / BPF_F_REPLACE relative to <paramref name="relativeFdOrId"/>.</param>
        /// <param name="relativeFdOrId">The program or link fd (or id with BPF_F_ID) that the flags position against.</param>
        /// <param name="expectedRevision">Fail unless the hook's revision is this (0: do not check).</param>
        public static TcxLink Attach(BpfProgramHandle program, int ifIndex, BpfAttachType attachType,
            uint flags = 0, uint relativeFdOrId = 0, ulong expectedRevision = 0)
        {
            if (attachType is not (BpfAttachType.TcxIngress or BpfAttachType.TcxEgress))
                throw new ArgumentOutOfRangeException(nameof(attachType), attachType, "tcx links attach to TcxIngress or TcxEgress.");
            var attr = new LinkCreateAttr { Relative = relativeFdOrId, ExpectedRevision = expectedRevision };
            return new TcxLink(Create(program.Fd, (uint)ifIndex, attachType, flags, attr, $"attach {program} to {attachType} of ifindex {ifIndex}"));
        }

        /// <summary>
        /// Attaches to the interface named <paramref name="interfaceName"/> as the last program; as the ifindex overload. Throws <see cref="BpfException"/> (ENODEV) when no such interface exists.
        /// </summary>
        public static TcxLink Attach(BpfProgramHandle program, string interfaceName, BpfAttachType attachType)
            => Attach(program, NetworkInterfaces.IndexOf(interfaceName), attachType);

        /// <summary>Attaches at <paramref name="position"/> among the hook's programs, if its revision is still <paramref name="expectedRevision"/> (0: any).</summary>
        public static TcxLink Attach(BpfProgramHandle program, int ifIndex, BpfAttachType attachType, TcxPosition position, ulong expectedRevision = 0)
            => Attach(program, ifIndex, attachType, position.Flags, position.RelativeId, expectedRevision);
    }
}
