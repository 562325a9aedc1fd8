using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    /// <summary><c>struct bpf_map_info</c> (6.18 layout, 104 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct MapInfoNative
    {
        public uint Type;
        public uint Id;
        public uint KeySize;
        public uint ValueSize;
        public uint MaxEntries;
        public uint MapFlags;
        public fixed byte Name[MapCreateAttr.ObjectNameLength];
        public uint IfIndex;
        public uint BtfVmlinuxValueTypeId;
        public ulong NetnsDev;
        public ulong NetnsIno;
        public uint BtfId;
        public uint BtfKeyTypeId;
        public uint BtfValueTypeId;
        public uint BtfVmlinuxId;
        public ulong MapExtra;
        public ulong Hash;
        public uint HashSize;
        private readonly uint _padding;
    }
}
