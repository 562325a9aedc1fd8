using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    /// <summary>BPF_MAP_*_BATCH (56 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct MapBatchAttr
    {
        public ulong InBatch;
        public ulong OutBatch;
        public ulong Keys;
        public ulong Values;
        /// <summary>In: number of elements the buffers hold. Out: number processed.</summary>
        public uint Count;
        public uint MapFd;
        public ulong ElemFlags;
        public ulong Flags;
    }
}
