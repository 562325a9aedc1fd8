using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    /// <summary>BPF_PROG_ATTACH and BPF_PROG_DETACH (32 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct ProgAttachAttr
    {
        /// <summary>target_fd, or target_ifindex (union).</summary>
        public uint Target;
        public uint AttachBpfFd;
        public uint AttachType;
        public uint AttachFlags;
        public uint ReplaceBpfFd;
        /// <summary>relative_fd, or relative_id (union).</summary>
        public uint Relative;
        public ulong ExpectedRevision;
    }
}
