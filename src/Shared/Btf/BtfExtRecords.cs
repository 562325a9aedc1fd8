namespace BpfSkeleton.Btf
{
    /// <summary>bpf_core_relo_kind.</summary>
    internal enum BtfCoreReloKind : uint
    {
        FieldByteOffset = 0,
        FieldByteSize = 1,
        FieldExists = 2,
        FieldSigned = 3,
        FieldLShiftU64 = 4,
        FieldRShiftU64 = 5,
        TypeIdLocal = 6,
        TypeIdTarget = 7,
        TypeExists = 8,
        TypeSize = 9,
        EnumValueExists = 10,
        EnumValue = 11,
        TypeMatches = 12,
    }

    /// <summary>bpf_func_info: the FUNC type of the subprogram starting at an instruction.</summary>
    internal readonly struct BtfFuncInfo
    {
        public BtfFuncInfo(uint insnOffset, int typeId)
        {
            InsnOffset = insnOffset;
            TypeId = typeId;
        }

        /// <summary>Byte offset in the ELF section, as clang stores it (the kernel wants instruction indices).</summary>
        public uint InsnOffset { get; }
        public int TypeId { get; }
    }

    /// <summary>bpf_line_info: source position of an instruction.</summary>
    internal readonly struct BtfLineInfo
    {
        public BtfLineInfo(uint insnOffset, uint fileNameOffset, uint lineOffset, uint lineCol)
        {
            InsnOffset = insnOffset;
            FileNameOffset = fileNameOffset;
            LineOffset = lineOffset;
            LineCol = lineCol;
        }

        /// <summary>Byte offset in the ELF section, as stored.</summary>
        public uint InsnOffset { get; }

        /// <summary>BTF string offset of the source file name.</summary>
        public uint FileNameOffset { get; }

        /// <summary>BTF string offset of the source line text.</summary>
        public uint LineOffset { get; }
        public uint LineCol { get; }
        public uint Line => LineCol >> 10;
        public uint Column => LineCol & 0x3ff;
    }

    /// <summary>bpf_core_relo: a CO-RE relocation against an instruction.</summary>
    internal readonly struct BtfCoreRelo
    {
        public BtfCoreRelo(uint insnOffset, int typeId, uint accessStringOffset, string accessString, BtfCoreReloKind kind)
        {
            InsnOffset = insnOffset;
            TypeId = typeId;
            AccessStringOffset = accessStringOffset;
            AccessString = accessString;
            Kind = kind;
        }

        /// <summary>Byte offset in the ELF section, as stored.</summary>
        public uint InsnOffset { get; }

        /// <summary>The local (program BTF) root type.</summary>
        public int TypeId { get; }
        public uint AccessStringOffset { get; }

        /// <summary>Like "0:1:2": member/array indices from the root type, or an enumerator index.</summary>
        public string AccessString { get; }
        public BtfCoreReloKind Kind { get; }
    }
}
