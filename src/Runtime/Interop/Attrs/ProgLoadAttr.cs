using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    /// <summary>BPF_PROG_LOAD (6.18 layout, 168 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct ProgLoadAttr
    {
        public uint ProgType;
        public uint InsnCount;
        public ulong Insns;
        public ulong License;
        public uint LogLevel;
        public uint LogSize;
        public ulong LogBuf;
        public uint KernVersion;
        public uint ProgFlags;
        public fixed byte ProgName[MapCreateAttr.ObjectNameLength];
        public uint ProgIfIndex;
        public uint ExpectedAttachType;
        public uint ProgBtfFd;
        public uint FuncInfoRecSize;
        public ulong FuncInfo;
        public uint FuncInfoCount;
        public uint LineInfoRecSize;
        public ulong LineInfo;
        public uint LineInfoCount;
        public uint AttachBtfId;
        /// <summary>attach_prog_fd, or attach_btf_obj_fd (union).</summary>
        public uint AttachProgOrBtfObjFd;
        public uint CoreReloCount;
        public ulong FdArray;
        public ulong CoreRelos;
        public uint CoreReloRecSize;
        public uint LogTrueSize;
        public int ProgTokenFd;
        public uint FdArrayCount;
        public ulong Signature;
        public uint SignatureSize;
        public int KeyringId;
    }
}
