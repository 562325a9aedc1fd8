using System;

namespace BpfSkeleton.Elf
{
    /// <summary>Validating decoder of the ELF header, program and section headers, and symbol tables.</summary>
    internal static class ElfReader
    {
        public static ElfFile Read(ReadOnlyMemory<byte> data, string fileName, ElfParseOptions options)
        {
            ReadOnlySpan<byte> file = data.Span;
            if (file.Length < ElfConstants.HeaderSize)
                throw Error(fileName, null, 0, $"file is {file.Length} bytes, shorter than the 64-byte ELF64 header");
            if (file[0] != 0x7f || file[1] != (byte)'E' || file[2] != (byte)'L' || file[3] != (byte)'F')
                throw Error(fileName, null, 0, "not an ELF file (bad magic)");
            if (file[4] != ElfConstants.ELFCLASS64)
                throw Error(fileName, null, 4, $"ELF class {file[4]} is not ELFCLASS64; BPF objects are 64-bit");
            bool little;
            if (file[5] == ElfConstants.ELFDATA2LSB)
                little = true;
            else if (file[5] == ElfConstants.ELFDATA2MSB)
                little = false;
            else
                throw Error(fileName, null, 5, $"unknown ELF data encoding {file[5]}");
            if (file[6] != 1)
                throw Error(fileName, null, 6, $"unknown ELF version {file[6]}");

            ushort type = ByteOrder.U16(file.Slice(16), little);
            ushort machine = ByteOrder.U16(file.Slice(18), little);
            if (machine != ElfConstants.EM_BPF && (options & ElfParseOptions.AnyMachine) == 0)
                throw Error(fileName, null, 18, $"machine {machine} is not EM_BPF ({ElfConstants.EM_BPF}): this is not a BPF object");
            ulong sectionHeaderOffset = ByteOrder.U64(file.Slice(40), little);
            ushort sectionHeaderSize = ByteOrder.U16(file.Slice(58), little);
            uint sectionCount = ByteOrder.U16(file.Slice(60), little);
            uint namesIndex = ByteOrder.U16(file.Slice(62), little);

            ElfProgramHeader[] segments = ReadProgramHeaders(fileName, file, little, sectionHeaderOffset);

            if (sectionHeaderOffset == 0)
                return new ElfFile(fileName, data, little, type, machine, segments, Array.Empty<ElfSection>(), Array.Empty<ElfSymbol>(), 0, Array.Empty<ElfSymbol>());
            if (sectionHeaderSize != ElfConstants.SectionHeaderSize)
                throw Error(fileName, null, 58, $"section header size {sectionHeaderSize}, expected {ElfConstants.SectionHeaderSize}");
            if (sectionHeaderOffset > (ulong)file.Length || (ulong)file.Length - sectionHeaderOffset < ElfConstants.SectionHeaderSize)
                throw Error(fileName, null, 40, $"section headers at 0x{sectionHeaderOffset:x} lie outside the {file.Length}-byte file");

            // Extended numbering: counts that do not fit the header live in section 0.
            ReadOnlySpan<byte> first = file.Slice((int)sectionHeaderOffset, ElfConstants.SectionHeaderSize);
            if (sectionCount == 0)
            {
                ulong extended = ByteOrder.U64(first.Slice(32), little);
                if (extended > int.MaxValue)
                    throw Error(fileName, null, (long)sectionHeaderOffset, $"extended section count {extended} is too large");
                sectionCount = (uint)extended;
            }
            if (namesIndex == ElfConstants.SHN_XINDEX)
                namesIndex = ByteOrder.U32(first.Slice(40), little);

            ulong tableBytes = (ulong)sectionCount * ElfConstants.SectionHeaderSize;
            if (tableBytes > (ulong)file.Length - sectionHeaderOffset)
                throw Error(fileName, null, 40, $"{sectionCount} section headers at 0x{sectionHeaderOffset:x} run past the end of the {file.Length}-byte file");
            if (sectionCount == 0)
                return new ElfFile(fileName, data, little, type, machine, segments, Array.Empty<ElfSection>(), Array.Empty<ElfSymbol>(), 0, Array.Empty<ElfSymbol>());
            if (namesIndex >= sectionCount)
                throw Error(fileName, null, 62, $"section name table index {namesIndex} is not below the section count {sectionCount}");

            // Every range is checked before the name table is used, so a bad range is reported first;
            // headers are decoded again below rather than kept in a second array.
            for (int i = 0; i < sectionCount; i++)
            {
                long at = (long)sectionHeaderOffset + (long)i * ElfConstants.SectionHeaderSize;
                ElfSectionHeader.Read(file.Slice((int)at, ElfConstants.SectionHeaderSize), little).CheckRange(fileName, i, at, file.Length);
            }

            ElfSectionHeader names = ElfSectionHeader.Read(file.Slice((int)sectionHeaderOffset + (int)namesIndex * ElfConstants.SectionHeaderSize), little);
            if (names.Type != ElfConstants.SHT_STRTAB)
                throw Error(fileName, null, 62, $"section name table {namesIndex} has type {names.Type}, not SHT_STRTAB");
            ReadOnlyMemory<byte> nameTable = data.Slice((int)names.Offset, (int)names.Size);

            var sections = new ElfSection[sectionCount];
            for (int i = 0; i < sections.Length; i++)
            {
                ElfSectionHeader h = ElfSectionHeader.Read(file.Slice((int)sectionHeaderOffset + i * ElfConstants.SectionHeaderSize), little);
                ElfName name = ReadName(fileName, namesIndex, nameTable, h.Name);
                ReadOnlyMemory<byte> bytes = h.Type == ElfConstants.SHT_NOBITS || h.Type == ElfConstants.SHT_NULL
                    ? ReadOnlyMemory<byte>.Empty
                    : data.Slice((int)h.Offset, (int)h.Size);
                sections[i] = new ElfSection(i, name, h.Type, h.Flags, h.Address, h.Offset, h.Size, h.Link, h.Info, h.Alignment, h.EntrySize, bytes);
            }

            int symtabIndex = FindSymbolTable(fileName, sections, ElfConstants.SHT_SYMTAB);
            ElfSymbol[] symbols = symtabIndex == 0
                ? Array.Empty<ElfSymbol>()
                : ReadSymbols(fileName, sections, sections[symtabIndex], little);
            int dynsymIndex = FindSymbolTable(fileName, sections, ElfConstants.SHT_DYNSYM);
            ElfSymbol[] dynamicSymbols = dynsymIndex == 0
                ? Array.Empty<ElfSymbol>()
                : ReadSymbols(fileName, sections, sections[dynsymIndex], little);
            return new ElfFile(fileName, data, little, type, machine, segments, sections, symbols, symtabIndex, dynamicSymbols);
        }

        private static int FindSymbolTable(string fileName, ElfSection[] sections, uint tableType)
        {
            int found = 0;
            foreach (ElfSection s in sections)
            {
                if (s.Type != tableType)
                    continue;
                if (found != 0)
                    throw Error(fileName, s.Name, 0, $"a second {(tableType == ElfConstants.SHT_SYMTAB ? "SHT_SYMTAB" : "SHT_DYNSYM")} section; an ELF file has at most one");
                found = s.Index;
            }
            return found;
        }

        /// <summary>
        /// Decodes the program header table (empty for relocatable objects, which have none).
        /// A count of PN_XNUM means the real count is in section 0's sh_info.
        /// </summary>
        private static ElfProgramHeader[] ReadProgramHeaders(string fileName, ReadOnlySpan<byte> file, bool little, ulong sectionHeaderOffset)
        {
            ulong tableOffset = ByteOrder.U64(file.Slice(32), little);
            ushort entrySize = ByteOrder.U16(file.Slice(54), little);
            uint count = ByteOrder.U16(file.Slice(56), little);
            if (tableOffset == 0 || count == 0)
                return Array.Empty<ElfProgramHeader>();
            if (entrySize != ElfConstants.ProgramHeaderSize)
                throw Error(fileName, null, 54, $"program header size {entrySize}, expected {ElfConstants.ProgramHeaderSize}");
            if (count == ElfConstants.PN_XNUM)
            {
                if (sectionHeaderOffset == 0 || sectionHeaderOffset > (ulong)file.Length - ElfConstants.SectionHeaderSize)
                    throw Error(fileName, null, 56, "program header count is PN_XNUM but there is no section 0 to hold the real count");
                count = ByteOrder.U32(file.Slice((int)sectionHeaderOffset + 44), little);
            }
            ulong tableBytes = (ulong)count * ElfConstants.ProgramHeaderSize;
            if (tableOffset > (ulong)file.Length || tableBytes > (ulong)file.Length - tableOffset)
                throw Error(fileName, null, 32, $"{count} program headers at 0x{tableOffset:x} run past the end of the {file.Length}-byte file");

            var headers = new ElfProgramHeader[count];
            for (int i = 0; i < headers.Length; i++)
            {
                ReadOnlySpan<byte> h = file.Slice((int)tableOffset + i * ElfConstants.ProgramHeaderSize, ElfConstants.ProgramHeaderSize);
                headers[i] = new ElfProgramHeader(i,
                    type: ByteOrder.U32(h, little),
                    flags: ByteOrder.U32(h.Slice(4), little),
                    offset: ByteOrder.U64(h.Slice(8), little),
                    virtualAddress: ByteOrder.U64(h.Slice(16), little),
                    fileSize: ByteOrder.U64(h.Slice(32), little),
                    memorySize: ByteOrder.U64(h.Slice(40), little),
                    alignment: ByteOrder.U64(h.Slice(48), little));
            }
            return headers;
        }

        private static ElfSymbol[] ReadSymbols(string fileName, ElfSection[] sections, ElfSection symtab, bool little)
        {
            if (symtab.EntrySize != ElfConstants.SymbolSize)
                throw Error(fileName, symtab.Name, 0, $"symbol entry size {symtab.EntrySize}, expected {ElfConstants.SymbolSize}");
            if (symtab.Size % ElfConstants.SymbolSize != 0)
                throw Error(fileName, symtab.Name, 0, $"size {symtab.Size} is not a multiple of {ElfConstants.SymbolSize}");
            if (symtab.Link == 0 || symtab.Link >= (uint)sections.Length || sections[symtab.Link].Type != ElfConstants.SHT_STRTAB)
                throw Error(fileName, symtab.Name, 0, $"sh_link {symtab.Link} is not a string table");
            ElfSection strings = sections[symtab.Link];

            ReadOnlySpan<byte> span = symtab.Data.Span;
            var symbols = new ElfSymbol[span.Length / ElfConstants.SymbolSize];
            for (int i = 0; i < symbols.Length; i++)
            {
                ReadOnlySpan<byte> entry = span.Slice(i * ElfConstants.SymbolSize, ElfConstants.SymbolSize);
                uint nameOffset = ByteOrder.U32(entry, little);
                byte info = entry[4];
                byte other = entry[5];
                ushort sectionIndex = ByteOrder.U16(entry.Slice(6), little);
                ulong value = ByteOrder.U64(entry.Slice(8), little);
                ulong size = ByteOrder.U64(entry.Slice(16), little);
                if (sectionIndex != ElfConstants.SHN_UNDEF && sectionIndex < ElfConstants.SHN_LORESERVE && sectionIndex >= sections.Length)
                    throw Error(fileName, symtab.Name, i * ElfConstants.SymbolSize + 6, $"symbol {i} refers to section {sectionIndex}, but the file has {sections.Length}");
                ElfName name = ReadName(fileName, strings, nameOffset);
                symbols[i] = new ElfSymbol(i, name, value, size, (byte)(info >> 4), (byte)(info & 0xf), (byte)(other & 0x3), sectionIndex);
            }
            return symbols;
        }

        private static ElfName ReadName(string fileName, uint namesIndex, ReadOnlyMemory<byte> table, uint offset)
            => ReadName(fileName, null, namesIndex, table, offset);

        private static ElfName ReadName(string fileName, ElfSection strings, uint offset)
            => ReadName(fileName, strings, 0, strings.Data, offset);

        /// <summary>A validated name; the table is labelled by its section, or by index for the section name table.</summary>
        private static ElfName ReadName(string fileName, ElfSection? strings, uint namesIndex, ReadOnlyMemory<byte> table, uint offset)
        {
            if (offset >= (uint)table.Length)
            {
                if (offset == 0)
                    return new ElfName(table, 0, 0);
                throw Error(fileName, TableLabel(strings, namesIndex), offset, $"name offset {offset} is outside the {table.Length}-byte string table");
            }
            int length = Utf8Text.TerminatedLength(table.Span, (int)offset);
            if (length < 0)
                throw Error(fileName, TableLabel(strings, namesIndex), offset, "name is not NUL-terminated");
            return new ElfName(table, (int)offset, length);
        }

        private static string TableLabel(ElfSection? strings, uint namesIndex)
            => strings is not null ? strings.Name : $"section {namesIndex} (section names)";

        private static BpfFormatException Error(string fileName, string? section, long offset, string problem)
            => new BpfFormatException(fileName, section, offset, problem);
    }
}
