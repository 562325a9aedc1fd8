using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    /// <summary>BPF_MAP_*_ELEM, BPF_MAP_GET_NEXT_KEY and BPF_MAP_FREEZE (32 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct MapElemAttr
    {
        public uint MapFd;
        private readonly uint _padding;
        public ulong Key;
        /// <summary>Value pointer; the next-key pointer for BPF_MAP_GET_NEXT_KEY.</summary>
        public ulong ValueOrNextKey;
        public ulong Flags;
    }
}
