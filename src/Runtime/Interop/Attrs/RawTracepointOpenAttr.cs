using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    /// <summary>BPF_RAW_TRACEPOINT_OPEN (24 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct RawTracepointOpenAttr
    {
        public ulong Name;
        public uint ProgFd;
        private readonly uint _padding;
        public ulong Cookie;
    }
}
