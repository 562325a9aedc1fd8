using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    /// <summary>BPF_OBJ_GET_INFO_BY_FD (16 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct ObjInfoAttr
    {
        public uint BpfFd;
        /// <summary>In: size of the info buffer. Out: bytes the kernel filled.</summary>
        public uint InfoLength;
        public ulong Info;
    }
}
