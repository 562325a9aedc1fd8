using BpfSkeleton.Elf;

namespace BpfSkeleton.Specs
{
    internal sealed partial class ObjectReader
    {
        // Symbol indices grouped by st_shndx (table order within a group), built on first use:
        // the phases look up symbols per section many times, and rescanning the table each time
        // was most of their cost.
        private int[]? _symbolsBySection;
        private int[]? _sectionSymbolStart; // group of section i: [start[i], start[i + 1])

        /// <summary>How many symbols name <paramref name="sectionIndex"/> as theirs; <see cref="SymbolInSection"/> reads them.</summary>
        private int SymbolCountIn(int sectionIndex)
        {
            BuildSymbolIndex();
            return _sectionSymbolStart![sectionIndex + 1] - _sectionSymbolStart[sectionIndex];
        }

        /// <summary>The <paramref name="nth"/> symbol of a section, in symbol table order.</summary>
        private ElfSymbol SymbolInSection(int sectionIndex, int nth)
            => _elf.SymbolArray[_symbolsBySection![_sectionSymbolStart![sectionIndex] + nth]];

        private void BuildSymbolIndex()
        {
            if (_symbolsBySection is not null) return;
            var symbols = _elf.SymbolArray;
            int sectionCount = _elf.SectionArray.Length;
            // A counting sort by section index; indices past the section table (SHN_ABS and the like)
            // belong to no section. start[i] counts, then ends, then (filled backwards) starts group i.
            var start = new int[sectionCount + 1];
            foreach (var symbol in symbols)
                if (symbol.SectionIndex < sectionCount) start[symbol.SectionIndex]++;
            for (int i = 1; i < sectionCount; i++)
                start[i] += start[i - 1];
            start[sectionCount] = sectionCount == 0 ? 0 : start[sectionCount - 1];
            var grouped = new int[start[sectionCount]];
            for (int i = symbols.Length - 1; i >= 0; i--)
            {
                int section = symbols[i].SectionIndex;
                if (section < sectionCount) grouped[--start[section]] = i;
            }
            _sectionSymbolStart = start;
            _symbolsBySection = grouped;
        }

        /// <summary>The first symbol of a section with that name (any type), or null.</summary>
        private ElfSymbol? FindObjectSymbol(ElfSection section, string name)
        {
            int count = SymbolCountIn(section.Index);
            for (int i = 0; i < count; i++)
            {
                var symbol = SymbolInSection(section.Index, i);
                if (symbol.NameIs(name)) return symbol;
            }
            return null;
        }
    }
}
