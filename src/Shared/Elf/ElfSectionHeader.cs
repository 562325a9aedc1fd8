using System;

namespace BpfSkeleton.Elf
{
    /// <summary>A section header as stored, before names are resolved.</summary>
    internal struct ElfSectionHeader
    {
        public uint Name;
        public uint Type;
        public ulong Flags;
        public ulong Address;
        public ulong Offset;
        public ulong Size;
        public uint Link;
        public uint Info;
        public ulong Alignment;
        public ulong EntrySize;

        public static ElfSectionHeader Read(ReadOnlySpan<byte> h, bool little) => new ElfSectionHeader
        {
            Name = ByteOrder.U32(h, little),
            Type = ByteOrder.U32(h.Slice(4), little),
            Flags = ByteOrder.U64(h.Slice(8), little),
            Address = ByteOrder.U64(h.Slice(16), little),
            Offset = ByteOrder.U64(h.Slice(24), little),
            Size = ByteOrder.U64(h.Slice(32), little),
            Link = ByteOrder.U32(h.Slice(40), little),
            Info = ByteOrder.U32(h.Slice(44), little),
            Alignment = ByteOrder.U64(h.Slice(48), little),
            EntrySize = ByteOrder.U64(h.Slice(56), little),
        };

        public void CheckRange(string fileName, int index, long headerOffset, int fileLength)
        {
            if (Type == ElfConstants.SHT_NOBITS || Type == ElfConstants.SHT_NULL)
                return;
            if (Offset > (ulong)fileLength || Size > (ulong)fileLength - Offset)
                throw new BpfFormatException(fileName, $"section {index}", headerOffset,
                    $"data at 0x{Offset:x} (size 0x{Size:x}) lies outside the {fileLength}-byte file");
        }
    }
}
