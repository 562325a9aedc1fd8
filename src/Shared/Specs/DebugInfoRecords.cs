using BpfSkeleton.Btf;

namespace BpfSkeleton.Specs
{
    // BTF.ext records rebased from section byte offsets to program-relative instruction indices,
    // the unit the kernel expects in BPF_PROG_LOAD's func_info and line_info.

    /// <summary>A func_info record: the function starting at an instruction has this FUNC type.</summary>
    internal readonly struct FuncInfoRecord
    {
        public FuncInfoRecord(int instructionIndex, int typeId)
        {
            InstructionIndex = instructionIndex;
            TypeId = typeId;
        }

        public int InstructionIndex { get; }
        public int TypeId { get; }

        public FuncInfoRecord WithInstructionIndex(int index) => new FuncInfoRecord(index, TypeId);
    }

    /// <summary>A line_info record; strings are offsets into the object's BTF string section.</summary>
    internal readonly struct LineInfoRecord
    {
        public LineInfoRecord(int instructionIndex, uint fileNameOffset, uint lineOffset, uint lineColumn)
        {
            InstructionIndex = instructionIndex;
            FileNameOffset = fileNameOffset;
            LineOffset = lineOffset;
            LineColumn = lineColumn;
        }

        public int InstructionIndex { get; }
        public uint FileNameOffset { get; }
        public uint LineOffset { get; }
        /// <summary>Line number in the upper 22 bits, column in the lower 10, as the kernel stores it.</summary>
        public uint LineColumn { get; }
        public int Line => (int)(LineColumn >> 10);
        public int Column => (int)(LineColumn & 0x3ff);

        public LineInfoRecord WithInstructionIndex(int index)
            => new LineInfoRecord(index, FileNameOffset, LineOffset, LineColumn);
    }

    /// <summary>A CO-RE relocation: patch the instruction according to the target kernel's layout of a local type.</summary>
    internal readonly struct CoreRelocationRecord
    {
        public CoreRelocationRecord(int instructionIndex, int typeId, BtfCoreReloKind kind, string accessString, uint accessStringOffset = 0)
        {
            InstructionIndex = instructionIndex;
            TypeId = typeId;
            Kind = kind;
            AccessString = accessString;
            AccessStringOffset = accessStringOffset;
        }

        public int InstructionIndex { get; }
        /// <summary>The local (object BTF) root type.</summary>
        public int TypeId { get; }
        public BtfCoreReloKind Kind { get; }
        /// <summary>Colon-separated accessor indices, e.g. <c>0:1:2</c>.</summary>
        public string AccessString { get; }
        /// <summary>Where <see cref="AccessString"/> is in the object's BTF strings (what the kernel's own CO-RE reads).</summary>
        public uint AccessStringOffset { get; }

        public CoreRelocationRecord WithInstructionIndex(int index)
            => new CoreRelocationRecord(index, TypeId, Kind, AccessString, AccessStringOffset);

        public override string ToString() => $"insn {InstructionIndex}: {Kind} type {TypeId} access {AccessString}";
    }
}
