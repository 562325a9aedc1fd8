using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    /// <summary>
    /// The two-word attr of BPF_LINK_DETACH (link_fd), BPF_ITER_CREATE (link_fd, flags) and
    /// BPF_ENABLE_STATS (type).
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct SingleFdAttr
    {
        public uint Value;
        public uint Flags;
    }
}
