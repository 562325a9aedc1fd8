using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    /// <summary>BPF_LINK_UPDATE (16 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct LinkUpdateAttr
    {
        public uint LinkFd;
        /// <summary>new_prog_fd, or new_map_fd for struct_ops (union).</summary>
        public uint NewProgOrMapFd;
        public uint Flags;
        /// <summary>old_prog_fd / old_map_fd, checked when BPF_F_REPLACE is set (union).</summary>
        public uint OldProgOrMapFd;
    }
}
