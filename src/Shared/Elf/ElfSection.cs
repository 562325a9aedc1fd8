using System;

namespace BpfSkeleton.Elf
{
    /// <summary>One section header plus a view of its bytes (validated against the file).</summary>
    internal sealed class ElfSection
    {
        private ElfName _name;

        internal ElfSection(int index, ElfName name, uint type, ulong flags, ulong address, ulong offset, ulong size,
            uint link, uint info, ulong alignment, ulong entrySize, ReadOnlyMemory<byte> data)
        {
            Index = index;
            _name = name;
            Type = type;
            Flags = flags;
            Address = address;
            Offset = offset;
            Size = size;
            Link = link;
            Info = info;
            Alignment = alignment;
            EntrySize = entrySize;
            Data = data;
        }

        public int Index { get; }
        public string Name => _name.Text;

        /// <summary>Whether the section is called <paramref name="name"/>, without decoding its name.</summary>
        internal bool NameIs(string name) => _name.EqualsText(name);

        internal ReadOnlySpan<byte> NameUtf8 => _name.Utf8;

        /// <summary>Whether the section's name is these UTF-8 bytes.</summary>
        internal bool NameIs(ReadOnlySpan<byte> utf8) => _name.EqualsUtf8(utf8);
        public uint Type { get; }
        public ulong Flags { get; }

        /// <summary>Where the section is mapped (sh_addr): 0 in relocatable objects, a link-time address in executables and shared objects.</summary>
        public ulong Address { get; }

        public ulong Offset { get; }
        public ulong Size { get; }
        public uint Link { get; }
        public uint Info { get; }
        public ulong Alignment { get; }
        public ulong EntrySize { get; }

        /// <summary>The section's bytes; empty for SHT_NOBITS (e.g. .bss), whose size is still <see cref="Size"/>.</summary>
        public ReadOnlyMemory<byte> Data { get; }

        public bool IsNoBits => Type == ElfConstants.SHT_NOBITS;
        public bool IsExecutable => (Flags & ElfConstants.SHF_EXECINSTR) != 0;
        public bool IsWritable => (Flags & ElfConstants.SHF_WRITE) != 0;
        public bool IsAlloc => (Flags & ElfConstants.SHF_ALLOC) != 0;

        public override string ToString() => $"[{Index}] {Name}";
    }
}
