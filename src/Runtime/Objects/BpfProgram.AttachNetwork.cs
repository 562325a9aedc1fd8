using System;
using BpfSkeleton.Kernel;
using BpfSkeleton.Links;

namespace BpfSkeleton
{
    // Explicit attach APIs for network hooks: XDP, tcx, netkit, cgroups, network namespaces, netfilter, sockmaps.
    public sealed partial class BpfProgram
    {
        /// <summary>
        /// Attaches an XDP program to a device in the calling thread's network namespace; <paramref name="flags"/>
        /// are XDP_FLAGS_* mode bits (0: the kernel picks native or generic).
        /// </summary>
        public XdpLink AttachXdp(int ifIndex, uint flags = 0) => XdpLink.Attach(HandleForAttach("xdp"), ifIndex, flags);

        /// <summary>
        /// Attaches the XDP program to the interface named <paramref name="interfaceName"/>; as the ifindex overload.
        /// Throws <see cref="BpfException"/> (ENODEV) when no such interface exists.
        /// </summary>
        public XdpLink AttachXdp(string interfaceName, uint flags = 0) => XdpLink.Attach(HandleForAttach("xdp"), interfaceName, flags);

        /// <summary>
        /// Attaches to a device's tcx hook: <paramref name="attachType"/> TcxIngress or TcxEgress (default: the
        /// section's, e.g. SEC("tcx/ingress")), at <paramref name="position"/>, if the hook's revision is still
        /// <paramref name="expectedRevision"/> (0: any).
        /// </summary>
        public TcxLink AttachTcx(int ifIndex, BpfAttachType? attachType = null, TcxPosition position = default, ulong expectedRevision = 0)
            => TcxLink.Attach(HandleForAttach("tcx"), ifIndex, AttachTypeOr(attachType, "tcx"), position, expectedRevision);

        /// <summary>
        /// Attaches to the interface named <paramref name="interfaceName"/>; as the ifindex overload. Throws <see cref="BpfException"/> (ENODEV) when no such interface exists.
        /// </summary>
        public TcxLink AttachTcx(string interfaceName, BpfAttachType? attachType = null, TcxPosition position = default, ulong expectedRevision = 0)
            => AttachTcx(NetworkInterfaces.IndexOf(interfaceName), attachType, position, expectedRevision);

        /// <summary>
        /// Attaches to a netkit device: <paramref name="attachType"/> NetKitPrimary or NetKitPeer (default: the
        /// section's, e.g. SEC("netkit/primary")), at <paramref name="position"/> among the hook's programs.
        /// </summary>
        public NetkitLink AttachNetkit(int ifIndex, BpfAttachType? attachType = null, TcxPosition position = default, ulong expectedRevision = 0)
            => NetkitLink.Attach(HandleForAttach("netkit"), ifIndex, AttachTypeOr(attachType, "netkit"), position, expectedRevision);

        /// <summary>
        /// Attaches to the netkit device named <paramref name="interfaceName"/>; as the ifindex overload. Throws <see cref="BpfException"/> (ENODEV) when no such interface exists.
        /// </summary>
        public NetkitLink AttachNetkit(string interfaceName, BpfAttachType? attachType = null, TcxPosition position = default, ulong expectedRevision = 0)
            => AttachNetkit(NetworkInterfaces.IndexOf(interfaceName), attachType, position, expectedRevision);

        /// <summary>Attaches to a cgroup v2 directory; <paramref name="attachType"/> defaults to the section's (e.g. cgroup_skb/egress).</summary>
        public CgroupLink AttachCgroup(string cgroupPath, BpfAttachType? attachType = null)
            => CgroupLink.Attach(HandleForAttach("cgroup"), cgroupPath, AttachTypeOr(attachType, "cgroup"));

        /// <summary>Attaches an sk_lookup or flow_dissector program to a network namespace (default: the calling thread's).</summary>
        public NetNsLink AttachNetns(string namespacePath = NetNsLink.CurrentThreadNamespace)
            => NetNsLink.Attach(HandleForAttach("netns"), AttachTypeOr(null, "network namespace"), namespacePath);

        /// <summary>Hooks a netfilter program into the calling thread's network namespace.</summary>
        public NetfilterLink AttachNetfilter(NetfilterProtocolFamily family, NetfilterHook hook, int priority, bool defragment = false)
            => NetfilterLink.Attach(HandleForAttach("netfilter"), family, hook, priority, defragment);

        /// <summary>Attaches an sk_msg or sk_skb program to a sockmap or sockhash; the attach type defaults to the section's.</summary>
        public SockMapAttachment AttachSockMap(BpfMap map, BpfAttachType? attachType = null)
            => SockMapAttachment.Attach(HandleForAttach("sockmap"), map, AttachTypeOr(attachType, "sockmap"));

        /// <summary>Attaches to the object's sockmap or sockhash <paramref name="map"/> (after load); as the <see cref="BpfMap"/> overload.</summary>
        public SockMapAttachment AttachSockMap(BpfObjectMap map, BpfAttachType? attachType = null)
            => AttachSockMap(map.Map, attachType);

        /// <summary>
        /// The given attach type, else the program's expected one. (BpfAttachType.None and CgroupInetIngress are
        /// both 0, so an unset expected type cannot be told apart; a wrong one fails in the kernel call.)
        /// </summary>
        private BpfAttachType AttachTypeOr(BpfAttachType? attachType, string hook)
        {
            if (attachType is { } given)
                return given;
            if (Spec.Definition is null)
                throw new ArgumentException($"program '{Name}' (section '{SectionName}') has no {hook} attach type from its section; pass one.", nameof(attachType));
            return ExpectedAttachType;
        }
    }
}
