using BpfSkeleton.Elf;

namespace BpfSkeleton.Specs
{
    internal sealed partial class ObjectReader
    {
        private int SymbolCountIn(int sectionIndex) => _elf.SymbolCountIn(sectionIndex);

        /// <summary>The .symtab index of the first symbol of a section with that name (any type), or -1.</summary>
        private int FindObjectSymbol(ElfSection section, string name)
        {
            var symbols = _elf.SymbolEntries;
            int count = SymbolCountIn(section.Index);
            for (int i = 0; i < count; i++)
            {
                int symbol = _elf.SymbolIndexInSection(section.Index, i);
                if (symbols.NameIs(symbol, name)) return symbol;
            }
            return -1;
        }

        /// <summary>
        /// <see cref="FindObjectSymbol(ElfSection, string)"/> for a BTF variable's name: an ASCII name
        /// (the usual case) is compared as bytes, which answers as the decoded strings would.
        /// </summary>
        private int FindObjectSymbol(ElfSection section, Btf.BtfType variable, out string name)
        {
            var utf8 = variable.NameUtf8;
            name = variable.Name;
            if (!Utf8Text.IsAscii(utf8)) return FindObjectSymbol(section, name);
            var symbols = _elf.SymbolEntries;
            int count = SymbolCountIn(section.Index);
            for (int i = 0; i < count; i++)
            {
                int symbol = _elf.SymbolIndexInSection(section.Index, i);
                if (symbols.NameIsUtf8(symbol, utf8)) return symbol;
            }
            return -1;
        }

        /// <summary>st_value of a .symtab entry, without making its symbol object.</summary>
        private ulong SymbolValue(int symbol) => _elf.SymbolEntries.Value(symbol);
    }
}
