using BpfSkeleton.Handles;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;

namespace BpfSkeleton.Links
{
    /// <summary>An XDP program attached to a network device through a BPF link.</summary>
    public sealed class XdpLink : BpfLink
    {
        private XdpLink(BpfFileDescriptor fd) : base(fd)
        {
        }

        /// <summary>Attaches to the device with <paramref name="ifIndex"/> (in the calling thread's network namespace).</summary>
        /// <param name="program">An XDP program.</param>
        /// <param name="ifIndex">The network device.</param>
        /// <param name="flags">XDP_FLAGS_* mode bits (0: let the kernel pick native or generic).</param>
        public static XdpLink Attach(BpfProgramHandle program, int ifIndex, uint flags = 0)
            => new(Create(program.Fd, (uint)ifIndex, BpfAttachType.Xdp, flags, default, $"attach {program} to XDP of ifindex {ifIndex}"));

        /// <summary>Attaches to the device named <paramref name="interfaceName"/>.</summary>
        public static XdpLink Attach(BpfProgramHandle program, string interfaceName, uint flags = 0)
            => Attach(program, NetworkInterfaces.IndexOf(interfaceName), flags);
    }
}
