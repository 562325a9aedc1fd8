using System;

namespace BpfSkeleton.Elf
{
    /// <summary>One .symtab entry with its name resolved through the linked string table.</summary>
    public sealed class ElfSymbol
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

        internal ReadOnlySpan<byte> NameUtf8 => _name.Utf8;

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
