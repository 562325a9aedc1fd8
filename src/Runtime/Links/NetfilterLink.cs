using BpfSkeleton.Handles;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;

namespace BpfSkeleton.Links
{
    /// <summary>Netfilter protocol families a netfilter program can hook (NFPROTO_*).</summary>
    public enum NetfilterProtocolFamily : uint
    {
        /// <summary>NFPROTO_IPV4.</summary>
        IPv4 = 2,
        /// <summary>NFPROTO_IPV6.</summary>
        IPv6 = 10,
    }

    /// <summary>Netfilter hooks (NF_INET_*).</summary>
    public enum NetfilterHook : uint
    {
        /// <summary>NF_INET_PRE_ROUTING: packets arriving, before the routing decision.</summary>
        PreRouting = 0,
        /// <summary>NF_INET_LOCAL_IN: packets routed to this host.</summary>
        LocalIn = 1,
        /// <summary>NF_INET_FORWARD: packets routed through this host.</summary>
        Forward = 2,
        /// <summary>NF_INET_LOCAL_OUT: packets this host sends.</summary>
        LocalOut = 3,
        /// <summary>NF_INET_POST_ROUTING: packets leaving, after the routing decision.</summary>
        PostRouting = 4,
    }

    /// <summary>A netfilter program hooked into the calling thread's network namespace (6.4+).</summary>
    public sealed class NetfilterLink : BpfLink
    {
        /// <summary>BPF_F_NETFILTER_IP_DEFRAG.</summary>
        internal const uint DefragmentFlag = 1;

        private NetfilterLink(BpfFileDescriptor fd) : base(fd)
        {
        }

        /// <param name="program">A netfilter program (returns NF_DROP 0 or NF_ACCEPT 1).</param>
        /// <param name="family">IPv4 or IPv6.</param>
        /// <param name="hook">Where in the packet path.</param>
        /// <param name="priority">Order among the hook's callbacks; the kernel refuses INT_MIN and INT_MAX.</param>
        /// <param name="defragment">Reassemble fragments before the program sees them.</param>
        public static NetfilterLink Attach(BpfProgramHandle program, NetfilterProtocolFamily family, NetfilterHook hook, int priority, bool defragment = false)
        {
            var attr = new LinkCreateAttr
            {
                NetfilterProtocolFamily = (uint)family,
                NetfilterHook = (uint)hook,
                NetfilterPriority = priority,
                NetfilterFlags = defragment ? DefragmentFlag : 0,
            };
            return new NetfilterLink(Create(program.Fd, 0, BpfAttachType.Netfilter, 0, attr, $"attach {program} to netfilter {family} {hook} (priority {priority})"));
        }
    }
}
