using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    /// <summary>BPF_BTF_LOAD (40 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct BtfLoadAttr
    {
        public ulong Btf;
        public ulong LogBuf;
        public uint BtfSize;
        public uint LogSize;
        public uint LogLevel;
        public uint LogTrueSize;
        public uint BtfFlags;
        public int BtfTokenFd;
    }
}
