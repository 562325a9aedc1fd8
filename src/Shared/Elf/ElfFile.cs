using System;
using System.Collections.Generic;

namespace BpfSkeleton.Elf
{
    /// <summary>
    /// A parsed ELF64 file (either byte order): a relocatable BPF object by default, or any
    /// executable or shared object with <see cref="ElfParseOptions.AnyMachine"/>. Every header,
    /// section range, name and symbol is validated up front, so consumers can index
    /// <see cref="Sections"/> and <see cref="Symbols"/> freely; relocations are decoded on request.
    /// </summary>
    internal sealed partial class ElfFile
    {
        private readonly ElfProgramHeader[] _programHeaders;
        private readonly ElfSection[] _sections;
        private readonly ElfSymbol[] _symbols;
        private readonly int _symbolTableIndex;
        private readonly ElfSymbol[] _dynamicSymbols;

        internal ElfFile(string fileName, ReadOnlyMemory<byte> data, bool little, ushort type, ushort machine,
            ElfProgramHeader[] programHeaders, ElfSection[] sections, ElfSymbol[] symbols, int symbolTableIndex,
            ElfSymbol[] dynamicSymbols)
        {
            FileName = fileName;
            Data = data;
            IsLittleEndian = little;
            Type = type;
            Machine = machine;
            _programHeaders = programHeaders;
            _sections = sections;
            _symbols = symbols;
            _symbolTableIndex = symbolTableIndex;
            _dynamicSymbols = dynamicSymbols;
        }

        public string FileName { get; }
        public ReadOnlyMemory<byte> Data { get; }
        public bool IsLittleEndian { get; }
        public ushort Machine { get; }
        public ushort Type { get; }
        public IReadOnlyList<ElfSection> Sections => _sections;

        /// <summary>Entries of .symtab in table order (index 0 is the null symbol); empty without a symbol table.</summary>
        public IReadOnlyList<ElfSymbol> Symbols => _symbols;

        // The arrays behind Sections and Symbols, for loops that should not go through an interface.
        internal ElfSection[] SectionArray => _sections;
        internal ElfSymbol[] SymbolArray => _symbols;

        /// <summary>The .symtab section, or null when the object has none.</summary>
        public ElfSection? SymbolTable => _symbolTableIndex > 0 ? _sections[_symbolTableIndex] : null;

        /// <summary>Entries of .dynsym in table order (index 0 is the null symbol); empty without one.</summary>
        public IReadOnlyList<ElfSymbol> DynamicSymbols => _dynamicSymbols;

        /// <summary>The program headers (segments); empty for relocatable objects.</summary>
        public IReadOnlyList<ElfProgramHeader> ProgramHeaders => _programHeaders;

        /// <summary>Parses an EM_BPF object; any other machine is rejected.</summary>
        public static ElfFile Parse(ReadOnlyMemory<byte> data, string fileName)
            => Parse(data, fileName, ElfParseOptions.None);

        public static ElfFile Parse(ReadOnlyMemory<byte> data, string fileName, ElfParseOptions options)
            => ElfReader.Read(data, fileName ?? throw new ArgumentNullException(nameof(fileName)), options);

        /// <summary>
        /// Maps a virtual address (a symbol's st_value in an executable or shared object) to the file
        /// offset of its byte, through the PT_LOAD segment that maps it. False when no loaded,
        /// file-backed segment covers the address.
        /// </summary>
        public bool TryGetFileOffset(ulong virtualAddress, out ulong fileOffset)
        {
            if (LoadSegmentContaining(virtualAddress) is { } segment && segment.ContainsFileBacked(virtualAddress))
            {
                fileOffset = virtualAddress - segment.VirtualAddress + segment.Offset;
                return true;
            }
            fileOffset = 0;
            return false;
        }

        /// <summary>The PT_LOAD segment whose memory image (file-backed or not) covers the address, or null.</summary>
        public ElfProgramHeader? LoadSegmentContaining(ulong virtualAddress)
        {
            foreach (ElfProgramHeader segment in _programHeaders)
                if (segment.IsLoad && virtualAddress >= segment.VirtualAddress && virtualAddress - segment.VirtualAddress < segment.MemorySize)
                    return segment;
            return null;
        }

        /// <summary>The first section called <paramref name="name"/>, or null.</summary>
        public ElfSection? FindSection(string name)
        {
            if (name is null)
                return null;
            foreach (ElfSection section in _sections)
            {
                if (section.NameIs(name))
                    return section;
            }
            return null;
        }

        /// <summary>The first section whose name is these UTF-8 bytes, or null; names are not decoded.</summary>
        internal ElfSection? FindSection(ReadOnlySpan<byte> name)
        {
            foreach (ElfSection section in _sections)
            {
                if (section.NameIs(name))
                    return section;
            }
            return null;
        }

        /// <summary>The SHT_REL section that applies to <paramref name="target"/> (its sh_info), or null.</summary>
        public ElfSection? GetRelocationSectionFor(ElfSection target)
        {
            foreach (ElfSection section in _sections)
            {
                if (section.Type == ElfConstants.SHT_REL && section.Info == (uint)target.Index)
                    return section;
            }
            return null;
        }

        /// <summary>Decodes an SHT_REL section; every symbol index is checked against .symtab.</summary>
        public IReadOnlyList<ElfRelocation> GetRelocations(ElfSection relSection) => ReadRelocations(relSection);

        /// <summary><see cref="GetRelocations"/> as the array, for loops that should not allocate an enumerator.</summary>
        internal ElfRelocation[] ReadRelocations(ElfSection relSection)
        {
            if (relSection is null)
                throw new ArgumentNullException(nameof(relSection));
            if (relSection.Index <= 0 || relSection.Index >= _sections.Length || !ReferenceEquals(_sections[relSection.Index], relSection))
                throw new BpfFormatException(FileName, relSection.Name, 0, "section does not belong to this file");
            if (relSection.Type != ElfConstants.SHT_REL)
                throw new BpfFormatException(FileName, relSection.Name, 0, $"not a SHT_REL section (type {relSection.Type})");
            if (relSection.EntrySize != ElfConstants.RelSize)
                throw new BpfFormatException(FileName, relSection.Name, 0, $"relocation entry size is {relSection.EntrySize}, expected {ElfConstants.RelSize}");
            if (relSection.Size % ElfConstants.RelSize != 0)
                throw new BpfFormatException(FileName, relSection.Name, 0, $"size {relSection.Size} is not a multiple of {ElfConstants.RelSize}");
            if (_symbolTableIndex == 0 || relSection.Link != (uint)_symbolTableIndex)
                throw new BpfFormatException(FileName, relSection.Name, 0, $"sh_link {relSection.Link} is not the symbol table");
            if (relSection.Info == 0 || relSection.Info >= (uint)_sections.Length)
                throw new BpfFormatException(FileName, relSection.Name, 0, $"sh_info {relSection.Info} is not a section index");

            ReadOnlySpan<byte> span = relSection.Data.Span;
            var relocations = new ElfRelocation[span.Length / ElfConstants.RelSize];
            for (int i = 0; i < relocations.Length; i++)
            {
                int at = i * ElfConstants.RelSize;
                ulong offset = ByteOrder.U64(span.Slice(at), IsLittleEndian);
                ulong info = ByteOrder.U64(span.Slice(at + 8), IsLittleEndian);
                ulong symbol = info >> 32;
                if (symbol >= (ulong)_symbols.Length)
                    throw new BpfFormatException(FileName, relSection.Name, at, $"relocation {i} names symbol {symbol}, but .symtab has {_symbols.Length}");
                relocations[i] = new ElfRelocation(offset, (int)symbol, (uint)info);
            }
            return relocations;
        }
    }
}
