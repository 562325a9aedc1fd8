using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    /// <summary><c>union bpf_attr</c> as used by BPF_MAP_CREATE (6.18 layout, 96 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct MapCreateAttr
    {
        internal const int ObjectNameLength = 16;

        public uint MapType;
        public uint KeySize;
        public uint ValueSize;
        public uint MaxEntries;
        public uint MapFlags;
        public uint InnerMapFd;
        public uint NumaNode;
        public fixed byte MapName[ObjectNameLength];
        public uint MapIfIndex;
        public uint BtfFd;
        public uint BtfKeyTypeId;
        public uint BtfValueTypeId;
        public uint BtfVmlinuxValueTypeId;
        public ulong MapExtra;
        public int ValueTypeBtfObjFd;
        public int MapTokenFd;
        public ulong ExclusiveProgramHash;
        public uint ExclusiveProgramHashSize;
        private readonly uint _padding;
    }
}
