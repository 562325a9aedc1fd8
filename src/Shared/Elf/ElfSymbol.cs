using System;

namespace BpfSkeleton.Elf
{
    /// <summary>One .symtab entry with its name resolved through the linked string table.</summary>
    internal sealed class ElfSymbol
    {
        private ElfName _name;

        internal ElfSymbol(int index, ElfName name, ulong value, ulong size, byte bind, byte type, byte visibility, ushort sectionIndex)
        {
            Index = index;
            _name = name;
            Value = value;
            Size = size;
            Bind = bind;
            Type = type;
            Visibility = visibility;
            SectionIndex = sectionIndex;
        }

        public int Index { get; }
        public string Name => _name.Text;

        /// <summary>Whether the symbol is called <paramref name="name"/>, without decoding its name.</summary>
        internal bool NameIs(string name) => _name.EqualsText(name);

        internal ReadOnlySpan<byte> NameUtf8 => _name.Utf8;

        /// <summary>Whether the symbol's name is these UTF-8 bytes.</summary>
        internal bool NameIs(ReadOnlySpan<byte> utf8) => _name.EqualsUtf8(utf8);

        /// <summary>The empty name (section and null symbols), known without decoding.</summary>
        internal bool HasEmptyName => _name.IsEmpty;
        public ulong Value { get; }
        public ulong Size { get; }

        /// <summary>STB_* (high nibble of st_info).</summary>
        public byte Bind { get; }

        /// <summary>STT_* (low nibble of st_info).</summary>
        public byte Type { get; }

        /// <summary>STV_* (low two bits of st_other).</summary>
        public byte Visibility { get; }

        /// <summary>st_shndx as stored: a section index, or SHN_UNDEF / SHN_ABS / SHN_COMMON / SHN_XINDEX.</summary>
        public ushort SectionIndex { get; }

        public bool IsUndefined => SectionIndex == ElfConstants.SHN_UNDEF;

        public override string ToString() => $"[{Index}] {Name}";
    }
}
