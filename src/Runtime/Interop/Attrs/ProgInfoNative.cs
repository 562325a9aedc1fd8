using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    /// <summary><c>struct bpf_prog_info</c> (6.18 layout, 232 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct ProgInfoNative
    {
        internal const int TagSize = 8;

        public uint Type;
        public uint Id;
        public fixed byte Tag[TagSize];
        public uint JitedProgLen;
        public uint XlatedProgLen;
        public ulong JitedProgInsns;
        public ulong XlatedProgInsns;
        public ulong LoadTime;
        public uint CreatedByUid;
        public uint NrMapIds;
        public ulong MapIds;
        public fixed byte Name[MapCreateAttr.ObjectNameLength];
        public uint IfIndex;
        /// <summary>Bit 0: gpl_compatible.</summary>
        public uint GplCompatibleBits;
        public ulong NetnsDev;
        public ulong NetnsIno;
        public uint NrJitedKsyms;
        public uint NrJitedFuncLens;
        public ulong JitedKsyms;
        public ulong JitedFuncLens;
        public uint BtfId;
        public uint FuncInfoRecSize;
        public ulong FuncInfo;
        public uint NrFuncInfo;
        public uint NrLineInfo;
        public ulong LineInfo;
        public ulong JitedLineInfo;
        public uint NrJitedLineInfo;
        public uint LineInfoRecSize;
        public uint JitedLineInfoRecSize;
        public uint NrProgTags;
        public ulong ProgTags;
        public ulong RunTimeNs;
        public ulong RunCount;
        public ulong RecursionMisses;
        public uint VerifiedInsns;
        public uint AttachBtfObjId;
        public uint AttachBtfId;
        private readonly uint _padding;
    }
}
