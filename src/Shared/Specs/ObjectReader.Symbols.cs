using BpfSkeleton.Elf;

namespace BpfSkeleton.Specs
{
    internal sealed partial class ObjectReader
    {
        private int SymbolCountIn(int sectionIndex) => _elf.SymbolCountIn(sectionIndex);

        private ElfSymbol SymbolInSection(int sectionIndex, int nth) => _elf.SymbolInSection(sectionIndex, nth);

        /// <summary>The first symbol of a section with that name (any type), or null.</summary>
        private ElfSymbol? FindObjectSymbol(ElfSection section, string name) => _elf.FindSymbolInSection(section.Index, name);
    }
}
