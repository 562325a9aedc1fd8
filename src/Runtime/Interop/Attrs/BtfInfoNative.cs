using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    /// <summary><c>struct bpf_btf_info</c> (32 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct BtfInfoNative
    {
        public ulong Btf;
        public uint BtfSize;
        public uint Id;
        public ulong Name;
        public uint NameLength;
        public uint KernelBtf;
    }
}
