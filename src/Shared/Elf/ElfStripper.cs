using System;

namespace BpfSkeleton.Elf
{
    /// <summary>
    /// Removes DWARF and other loader-irrelevant sections (<c>.debug_*</c>, their relocations,
    /// <c>.llvm_addrsig</c>) from a BPF object, keeping <c>.BTF</c>, <c>.BTF.ext</c> and everything
    /// else. The result is a valid ELF: section indices, symbol section indices, relocation symbol
    /// indices and the symbol table's first-global index are renumbered; section data is laid out
    /// afresh with the section header table at the end. Skeletons embed the stripped bytes.
    /// </summary>
    internal static class ElfStripper
    {
        /// <summary>Whether a section carries nothing the loader reads (given whether its target was dropped, for relocations).</summary>
        public static bool IsDroppable(ElfSection section)
            => IsDroppable(section.Name, section.Type);

        internal static bool IsDroppable(string name, uint type)
            => name.StartsWith(".debug", StringComparison.Ordinal) || type == ElfConstants.SHT_LLVM_ADDRSIG;

        /// <summary><see cref="IsDroppable(string, uint)"/> on a name's UTF-8 bytes.</summary>
        internal static bool IsDroppable(ReadOnlySpan<byte> name, uint type)
            => name.StartsWith(DebugPrefix) || type == ElfConstants.SHT_LLVM_ADDRSIG;

        private static readonly byte[] DebugPrefix = { (byte)'.', (byte)'d', (byte)'e', (byte)'b', (byte)'u', (byte)'g' };

        public static byte[] Strip(ElfFile elf)
        {
            if (elf is null)
                throw new ArgumentNullException(nameof(elf));
            var sections = elf.Sections;
            if (sections.Count == 0)
                return elf.Data.ToArray();
            ReadOnlySpan<byte> original = elf.Data.Span;
            bool little = elf.IsLittleEndian;
            if (ByteOrder.U16(original.Slice(56), little) != 0)
                throw new BpfFormatException(elf.FileName, null, 56, "object has program headers; only relocatable objects can be stripped");

            int[] newIndex = MapSections(sections);
            int[] newSymbol = MapSymbols(elf, newIndex);
            int keptCount = 0;
            foreach (int index in newIndex)
                if (index >= 0) keptCount++;

            // Section data in original index order, each aligned as declared.
            var layout = new long[sections.Count];
            long offset = ElfConstants.HeaderSize;
            foreach (ElfSection section in sections)
            {
                if (newIndex[section.Index] <= 0) continue;
                offset = Align(offset, section.Alignment);
                layout[section.Index] = offset;
                if (!section.IsNoBits) offset += section.Data.Length;
            }
            long headerTable = Align(offset, 8);
            var output = new byte[checked(headerTable + (long)keptCount * ElfConstants.SectionHeaderSize)];

            original.Slice(0, ElfConstants.HeaderSize).CopyTo(output);
            ByteOrder.WriteU64(output.AsSpan(40), little, (ulong)headerTable);
            ByteOrder.WriteU16(output.AsSpan(60), little, (ushort)keptCount);
            int namesIndex = ByteOrder.U16(original.Slice(62), little);
            ByteOrder.WriteU16(output.AsSpan(62), little, (ushort)Math.Max(0, newIndex[namesIndex]));

            long originalHeaders = (long)ByteOrder.U64(original.Slice(40), little);
            foreach (ElfSection section in sections)
            {
                int target = newIndex[section.Index];
                if (target < 0) continue;
                Span<byte> header = output.AsSpan((int)(headerTable + (long)target * ElfConstants.SectionHeaderSize), ElfConstants.SectionHeaderSize);
                original.Slice((int)(originalHeaders + (long)section.Index * ElfConstants.SectionHeaderSize), ElfConstants.SectionHeaderSize).CopyTo(header);
                if (section.Index == 0) continue;
                ByteOrder.WriteU64(header.Slice(24), little, (ulong)layout[section.Index]);
                ByteOrder.WriteU32(header.Slice(40), little, RemapLink(section.Link, newIndex));
                if (section.Type == ElfConstants.SHT_REL || section.Type == ElfConstants.SHT_RELA)
                    ByteOrder.WriteU32(header.Slice(44), little, RemapLink(section.Info, newIndex));
                else if (section.Type == ElfConstants.SHT_SYMTAB)
                    ByteOrder.WriteU32(header.Slice(44), little, (uint)FirstGlobal(elf, newSymbol));

                if (section.IsNoBits) continue;
                Span<byte> data = output.AsSpan((int)layout[section.Index], section.Data.Length);
                section.Data.Span.CopyTo(data);
                if (section.Type == ElfConstants.SHT_SYMTAB)
                    RewriteSymbols(elf, data, newIndex, newSymbol);
                else if (section.Type == ElfConstants.SHT_REL && section.Link == (uint)(elf.SymbolTable?.Index ?? -1))
                    RewriteRelocations(elf, section, data, newSymbol);
            }
            return output;
        }

        /// <summary>Whether a section is the relocations (sh_info) of a dropped section, which go with it.</summary>
        internal static bool AppliesToDropped(uint type, uint info, bool[] dropped)
            => (type == ElfConstants.SHT_REL || type == ElfConstants.SHT_RELA) && info < (uint)dropped.Length && dropped[info];

        /// <summary>Old section index → new index, or -1 when dropped. Relocations of dropped sections go too.</summary>
        private static int[] MapSections(System.Collections.Generic.IReadOnlyList<ElfSection> sections)
        {
            var dropped = new bool[sections.Count];
            foreach (ElfSection section in sections)
                dropped[section.Index] = section.Index != 0 && IsDroppable(section);
            foreach (ElfSection section in sections)
                dropped[section.Index] |= AppliesToDropped(section.Type, section.Info, dropped);
            var map = new int[sections.Count];
            int next = 0;
            for (int i = 0; i < sections.Count; i++)
                map[i] = dropped[i] ? -1 : next++;
            return map;
        }

        /// <summary>Old symbol index → new index, or -1 for symbols defined in dropped sections.</summary>
        private static int[] MapSymbols(ElfFile elf, int[] newSection)
        {
            var map = new int[elf.Symbols.Count];
            int next = 0;
            foreach (ElfSymbol symbol in elf.Symbols)
            {
                bool inDropped = symbol.SectionIndex != ElfConstants.SHN_UNDEF
                                 && symbol.SectionIndex < ElfConstants.SHN_LORESERVE
                                 && newSection[symbol.SectionIndex] < 0;
                map[symbol.Index] = inDropped ? -1 : next++;
            }
            return map;
        }

        private static int FirstGlobal(ElfFile elf, int[] newSymbol)
        {
            uint firstGlobal = elf.SymbolTable!.Info;
            int count = 0;
            for (int i = 0; i < newSymbol.Length && i < firstGlobal; i++)
                if (newSymbol[i] >= 0) count++;
            return count;
        }

        /// <summary>Compacts the symbol table in place: kept entries move down, section indices are renumbered, the tail is zeroed.</summary>
        private static void RewriteSymbols(ElfFile elf, Span<byte> table, int[] newSection, int[] newSymbol)
        {
            bool little = elf.IsLittleEndian;
            int size = ElfConstants.SymbolSize;
            foreach (ElfSymbol symbol in elf.Symbols)
            {
                int target = newSymbol[symbol.Index];
                if (target < 0) continue;
                Span<byte> entry = table.Slice(target * size, size);
                table.Slice(symbol.Index * size, size).CopyTo(entry);
                if (symbol.SectionIndex != ElfConstants.SHN_UNDEF && symbol.SectionIndex < ElfConstants.SHN_LORESERVE)
                    ByteOrder.WriteU16(entry.Slice(6), little, (ushort)newSection[symbol.SectionIndex]);
            }
            int kept = 0;
            foreach (int index in newSymbol)
                if (index >= 0) kept++;
            table.Slice(kept * size).Clear();
        }

        private static void RewriteRelocations(ElfFile elf, ElfSection section, Span<byte> data, int[] newSymbol)
        {
            bool little = elf.IsLittleEndian;
            var relocations = elf.GetRelocations(section);
            for (int i = 0; i < relocations.Count; i++)
            {
                int target = newSymbol[relocations[i].SymbolIndex];
                if (target < 0)
                    throw new BpfFormatException(elf.FileName, section.Name, i * ElfConstants.RelSize,
                        $"relocation {i} refers to a symbol in a debug section, which stripping removes");
                ulong info = ((ulong)(uint)target << 32) | relocations[i].Type;
                ByteOrder.WriteU64(data.Slice(i * ElfConstants.RelSize + 8), little, info);
            }
        }

        private static uint RemapLink(uint index, int[] newSection)
            => index < (uint)newSection.Length && newSection[index] >= 0 ? (uint)newSection[index] : 0;

        /// <summary>Section data alignment of a rewritten image: as declared, at most a page.</summary>
        internal static long Align(long value, ulong alignment)
        {
            long a = alignment <= 1 ? 1 : (long)Math.Min(alignment, 4096);
            return (value + a - 1) / a * a;
        }
    }
}
