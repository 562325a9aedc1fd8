namespace BpfSkeleton.Elf
{
    internal sealed partial class ElfFile
    {
        // Symbol indices grouped by st_shndx (table order within a group), built on first use: the
        // spec reader and the loader's BTF fixup look up symbols per section many times, and
        // rescanning the whole table each time was most of their cost.
        private int[]? _symbolsBySection;
        private int[]? _sectionSymbolStart; // group of section i: [start[i], start[i + 1])

        /// <summary>How many symbols name <paramref name="sectionIndex"/> as theirs; <see cref="SymbolInSection"/> reads them.</summary>
        internal int SymbolCountIn(int sectionIndex)
        {
            var start = SectionSymbolStart();
            return start[sectionIndex + 1] - start[sectionIndex];
        }

        /// <summary>The <paramref name="nth"/> symbol of a section, in symbol table order.</summary>
        internal ElfSymbol SymbolInSection(int sectionIndex, int nth)
            => _symbols[_symbolsBySection![SectionSymbolStart()[sectionIndex] + nth]];

        /// <summary>The first symbol of a section called <paramref name="name"/> (any type), or null.</summary>
        internal ElfSymbol? FindSymbolInSection(int sectionIndex, string name)
        {
            int count = SymbolCountIn(sectionIndex);
            for (int i = 0; i < count; i++)
            {
                var symbol = SymbolInSection(sectionIndex, i);
                if (symbol.NameIs(name)) return symbol;
            }
            return null;
        }

        /// <summary>The first symbol of a section whose name is these UTF-8 bytes (any type), or null.</summary>
        internal ElfSymbol? FindSymbolInSection(int sectionIndex, System.ReadOnlySpan<byte> name)
        {
            int count = SymbolCountIn(sectionIndex);
            for (int i = 0; i < count; i++)
            {
                var symbol = SymbolInSection(sectionIndex, i);
                if (symbol.NameIs(name)) return symbol;
            }
            return null;
        }

        private int[] SectionSymbolStart()
        {
            if (_sectionSymbolStart is { } built) return built;
            int sectionCount = _sections.Length;
            // A counting sort by section index; indices past the section table (SHN_ABS and the like)
            // belong to no section. start[i] counts, then ends, then (filled backwards) starts group i.
            var start = new int[sectionCount + 1];
            foreach (var symbol in _symbols)
                if (symbol.SectionIndex < sectionCount) start[symbol.SectionIndex]++;
            for (int i = 1; i < sectionCount; i++)
                start[i] += start[i - 1];
            start[sectionCount] = sectionCount == 0 ? 0 : start[sectionCount - 1];
            var grouped = new int[start[sectionCount]];
            for (int i = _symbols.Length - 1; i >= 0; i--)
            {
                int section = _symbols[i].SectionIndex;
                if (section < sectionCount) grouped[--start[section]] = i;
            }
            // Racing builders produce equal arrays; publish the groups before the starts that guard them.
            _symbolsBySection = grouped;
            System.Threading.Volatile.Write(ref _sectionSymbolStart, start);
            return start;
        }
    }
}
