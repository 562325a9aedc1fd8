using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    /// <summary>BPF_*_GET_NEXT_ID and BPF_*_GET_FD_BY_ID (16 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct GetIdAttr
    {
        /// <summary>start_id / prog_id / map_id / btf_id / link_id (union).</summary>
        public uint Id;
        public uint NextId;
        public uint OpenFlags;
        public int TokenFd;
    }
}
