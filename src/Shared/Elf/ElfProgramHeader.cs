namespace BpfSkeleton.Elf
{
    /// <summary>One program header (segment) of an executable or shared object.</summary>
    internal sealed class ElfProgramHeader
    {
        internal ElfProgramHeader(int index, uint type, uint flags, ulong offset, ulong virtualAddress,
            ulong fileSize, ulong memorySize, ulong alignment)
        {
            Index = index;
            Type = type;
            Flags = flags;
            Offset = offset;
            VirtualAddress = virtualAddress;
            FileSize = fileSize;
            MemorySize = memorySize;
            Alignment = alignment;
        }

        public int Index { get; }

        /// <summary>PT_* (p_type).</summary>
        public uint Type { get; }

        /// <summary>PF_* permission bits (p_flags).</summary>
        public uint Flags { get; }

        /// <summary>Where the segment's bytes start in the file (p_offset).</summary>
        public ulong Offset { get; }

        /// <summary>Where the segment is mapped, relative to the load base for PIE and shared objects (p_vaddr).</summary>
        public ulong VirtualAddress { get; }

        public ulong FileSize { get; }

        public ulong MemorySize { get; }

        public ulong Alignment { get; }

        public bool IsLoad => Type == ElfConstants.PT_LOAD;

        public bool IsExecutable => (Flags & ElfConstants.PF_X) != 0;

        /// <summary>True when <paramref name="address"/> lies in the part of the segment backed by file bytes.</summary>
        public bool ContainsFileBacked(ulong address)
            => address >= VirtualAddress && address - VirtualAddress < FileSize;

        public override string ToString() => $"[{Index}] type {Type} vaddr 0x{VirtualAddress:x} offset 0x{Offset:x} filesz 0x{FileSize:x}";
    }
}
