using System;
using BpfSkeleton.Handles;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;

namespace BpfSkeleton.Links
{
    /// <summary>
    /// A sched_cls program attached to a netkit device (6.7+): <see cref="BpfAttachType.NetKitPrimary"/>
    /// runs for traffic the primary device sends, <see cref="BpfAttachType.NetKitPeer"/> for its peer's.
    /// Ordering works as for tcx (<see cref="TcxPosition"/>): netkit hooks are multi-program hooks too.
    /// </summary>
    public sealed class NetkitLink : BpfLink
    {
        private NetkitLink(BpfFileDescriptor fd) : base(fd)
        {
        }

        /// <summary>Attaches to the netkit device with <paramref name="ifIndex"/> (the primary, in the calling thread's network namespace).</summary>
        public static NetkitLink Attach(BpfProgramHandle program, int ifIndex, BpfAttachType attachType,
            TcxPosition position = default, ulong expectedRevision = 0)
        {
            if (attachType is not (BpfAttachType.NetKitPrimary or BpfAttachType.NetKitPeer))
                throw new ArgumentOutOfRangeException(nameof(attachType), attachType, "netkit links attach to NetKitPrimary or NetKitPeer.");
            // The link_create union's netkit member has the tcx layout: relative fd/id, expected revision.
            var attr = new LinkCreateAttr { Relative = position.RelativeId, ExpectedRevision = expectedRevision };
            // Both "not a netkit device" and a kernel without CONFIG_NETKIT come back as EINVAL.
            return new NetkitLink(Create(program.Fd, (uint)ifIndex, attachType, position.Flags, attr,
                $"attach {program} to {attachType} of ifindex {ifIndex}",
                errno => errno == Errno.EINVAL
                    ? $"ifindex {ifIndex} is not the primary of a netkit pair, or this kernel has no netkit (CONFIG_NETKIT), or the program is not sched_cls"
                    : LinkHint(errno)));
        }

        /// <summary>
        /// Attaches to the netkit device named <paramref name="interfaceName"/>; as the ifindex overload. Throws <see cref="BpfException"/> (ENODEV) when no such interface exists.
        /// </summary>
        public static NetkitLink Attach(BpfProgramHandle program, string interfaceName, BpfAttachType attachType,
            TcxPosition position = default, ulong expectedRevision = 0)
            => Attach(program, NetworkInterfaces.IndexOf(interfaceName), attachType, position, expectedRevision);
    }
}
