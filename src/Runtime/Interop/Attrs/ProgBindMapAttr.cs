using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    /// <summary>The attr of BPF_PROG_BIND_MAP: keep a map alive and listed with a program it does not reference.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct ProgBindMapAttr
    {
        public uint ProgFd;
        public uint MapFd;
        public uint Flags;
    }
}
