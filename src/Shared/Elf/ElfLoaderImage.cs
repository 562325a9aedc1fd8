using System;

namespace BpfSkeleton.Elf
{
    /// <summary>
    /// Reads from a random-access source (a file) only the sections a reader needs, plus the headers,
    /// as one compact ELF image: the file with its dropped stretches squeezed out, in a few reads.
    /// For a relocatable BPF object that is everything except DWARF and the like
    /// (<see cref="ElfStripper.IsDroppable(ElfSection)"/>); for an executable or shared library whose
    /// functions or USDT notes are looked up, the symbol tables, string tables and notes.
    /// A dropped section keeps its header with size 0, so section and symbol indices do not change;
    /// section offsets are the image's, not the file's (segments keep the file's). An object compiled with -g is mostly DWARF (tcp_cc needs
    /// 35 KB of 672 KB), so this reads, copies and allocates a fraction of the file and the image
    /// usually stays off the large object heap. Anything unusual (an odd program header table, extended
    /// numbering, ranges outside the file) falls back to the whole file, which
    /// <see cref="ElfFile.Parse(ReadOnlyMemory{byte}, string)"/> then validates as always.
    /// </summary>
    internal static class ElfLoaderImage
    {
        // Not Array.Empty<ElfSectionHeader>(): a framework generic over our struct, which ReadyToRun leaves to the JIT.
        private static readonly ElfSectionHeader[] NoSections = new ElfSectionHeader[0];

        /// <summary>Fills the whole destination from the source at the offset (throws when it cannot).</summary>
        public delegate void ReadAt(long offset, Span<byte> destination);

        /// <summary>Whether a section's data is needed, by its UTF-8 name (relocation sections of unneeded sections go with them).</summary>
        public delegate bool SectionFilter(ReadOnlySpan<byte> name, uint type);

        /// <summary>What a BPF loader reads: everything but DWARF and the like.</summary>
        public static readonly SectionFilter LoaderSections = (name, type) => !ElfStripper.IsDroppable(name, type);

        /// <summary>What finding functions and USDT notes in an executable or shared object reads.</summary>
        public static readonly SectionFilter SymbolsAndNotes = (name, type) =>
            type is ElfConstants.SHT_SYMTAB or ElfConstants.SHT_DYNSYM or ElfConstants.SHT_STRTAB or ElfConstants.SHT_NOTE
            || name.SequenceEqual(StapsdtBase);

        // A u8 literal, not Encoding.ASCII.GetBytes in the static constructor: that loaded the encoding machinery on every first open.
        private static ReadOnlySpan<byte> StapsdtBase => ".stapsdt.base"u8;

        /// <summary>Below this, one read of the whole file is cheaper than picking sections.</summary>
        private const long WholeFileBelow = 64 * 1024;

        public static byte[] Read(long fileLength, ReadAt read, SectionFilter keep)
        {
            if (fileLength < WholeFileBelow)
                return ReadWhole(fileLength, read);
            var header = new byte[ElfConstants.HeaderSize];
            read(0, header);
            if (!TryReadSectionHeaders(header, fileLength, read, out ElfSectionHeader[] sections, out byte[] table, out bool little, out int namesIndex)
                || !TryProgramHeaderRange(header, fileLength, little, out Range programHeaders))
                return ReadWhole(fileLength, read);

            bool[] dropped = DroppedSections(sections, sections[namesIndex], read, keep);
            var ranges = KeptRanges(sections, dropped, (long)ByteOrder.U64(header.AsSpan(40), little), table.Length, programHeaders);

            // The image is the kept ranges back to back, each at the same offset modulo 8 as in the file.
            var imageStarts = new long[ranges.Length];
            long end = 0;
            for (int r = 0; r < ranges.Length; r++)
            {
                end += ((ranges[r].Start - end) % 8 + 8) % 8;
                imageStarts[r] = end;
                end += ranges[r].End - ranges[r].Start;
            }
            var image = UninitializedBytes.Allocate(end);
            long filled = 0;
            for (int r = 0; r < ranges.Length; r++)
            {
                image.AsSpan((int)filled, (int)(imageStarts[r] - filled)).Clear(); // alignment padding
                read(ranges[r].Start, image.AsSpan((int)imageStarts[r], (int)(ranges[r].End - ranges[r].Start)));
                filled = ranges[r].End - ranges[r].Start + imageStarts[r];
            }

            long tableInImage = ImageOffset(ranges, imageStarts, (long)ByteOrder.U64(header.AsSpan(40), little));
            ByteOrder.WriteU64(image.AsSpan(40), little, (ulong)tableInImage);
            if (programHeaders.End > programHeaders.Start)
                ByteOrder.WriteU64(image.AsSpan(32), little, (ulong)ImageOffset(ranges, imageStarts, programHeaders.Start));
            for (int i = 1; i < sections.Length; i++)
            {
                Span<byte> entry = image.AsSpan((int)tableInImage + i * ElfConstants.SectionHeaderSize, ElfConstants.SectionHeaderSize);
                if (dropped[i])
                {
                    ByteOrder.WriteU64(entry.Slice(24), little, 0);
                    ByteOrder.WriteU64(entry.Slice(32), little, 0);
                }
                else if (HasData(sections[i]) && sections[i].Size > 0)
                    ByteOrder.WriteU64(entry.Slice(24), little, (ulong)ImageOffset(ranges, imageStarts, (long)sections[i].Offset));
            }
            return image;
        }

        /// <summary>Gaps up to this size between kept pieces are read rather than skipped: one read beats two.</summary>
        private const long MergeGap = 4096;

        private readonly struct Range
        {
            public Range(long start, long end) { Start = start; End = end; }
            public long Start { get; }
            public long End { get; }
        }

        /// <summary>File ranges holding the ELF header, the section header table and every kept section, sorted, close ones merged.</summary>
        /// <remarks>
        /// Arrays and an insertion sort rather than List and Sort: a collection of this struct would be
        /// JIT-compiled at start even when the assembly is precompiled (ReadyToRun), and the pieces are few
        /// and almost always in file order already.
        /// </remarks>
        private static Range[] KeptRanges(ElfSectionHeader[] sections, bool[] dropped, long tableOffset, int tableLength, Range programHeaders)
        {
            var pieces = new Range[sections.Length + 2];
            int count = 0;
            pieces[count++] = new Range(0, ElfConstants.HeaderSize);
            pieces[count++] = new Range(tableOffset, tableOffset + tableLength);
            if (programHeaders.End > programHeaders.Start)
                pieces[count++] = programHeaders;
            for (int i = 1; i < sections.Length; i++)
                if (!dropped[i] && HasData(sections[i]) && sections[i].Size > 0)
                    pieces[count++] = new Range((long)sections[i].Offset, (long)(sections[i].Offset + sections[i].Size));
            for (int i = 1; i < count; i++)
            {
                Range piece = pieces[i];
                int j = i - 1;
                for (; j >= 0 && pieces[j].Start > piece.Start; j--)
                    pieces[j + 1] = pieces[j];
                pieces[j + 1] = piece;
            }

            int merged = 0;
            for (int i = 0; i < count; i++)
            {
                if (merged > 0 && pieces[i].Start <= pieces[merged - 1].End + MergeGap)
                    pieces[merged - 1] = new Range(pieces[merged - 1].Start, Math.Max(pieces[merged - 1].End, pieces[i].End));
                else
                    pieces[merged++] = pieces[i];
            }
            var ranges = new Range[merged];
            for (int i = 0; i < merged; i++)
                ranges[i] = pieces[i];
            return ranges;
        }

        /// <summary>Where a file offset inside a kept range lands in the image.</summary>
        private static long ImageOffset(Range[] ranges, long[] imageStarts, long fileOffset)
        {
            for (int r = 0; r < ranges.Length; r++)
                if (fileOffset >= ranges[r].Start && fileOffset < ranges[r].End)
                    return imageStarts[r] + (fileOffset - ranges[r].Start);
            throw new InvalidOperationException($"offset 0x{fileOffset:x} is in no kept range");
        }

        private static byte[] ReadWhole(long fileLength, ReadAt read)
        {
            var bytes = UninitializedBytes.Allocate(fileLength);
            read(0, bytes);
            return bytes;
        }

        /// <summary>The section headers of a plain ELF64 relocatable object whose every range lies inside the file.</summary>
        private static bool TryReadSectionHeaders(byte[] header, long fileLength, ReadAt read,
            out ElfSectionHeader[] sections, out byte[] table, out bool little, out int namesIndex)
        {
            sections = NoSections;
            table = Array.Empty<byte>();
            namesIndex = 0;
            little = header[5] == ElfConstants.ELFDATA2LSB;
            if (header[0] != 0x7f || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F'
                || header[4] != ElfConstants.ELFCLASS64 || (!little && header[5] != ElfConstants.ELFDATA2MSB))
                return false;
            ReadOnlySpan<byte> span = header;
            ulong tableOffset = ByteOrder.U64(span.Slice(40), little);
            int count = ByteOrder.U16(span.Slice(60), little);
            namesIndex = ByteOrder.U16(span.Slice(62), little);
            if (ByteOrder.U16(span.Slice(58), little) != ElfConstants.SectionHeaderSize
                || count == 0 || namesIndex >= count || tableOffset > (ulong)fileLength
                || (ulong)count * ElfConstants.SectionHeaderSize > (ulong)fileLength - tableOffset)
                return false;

            table = new byte[count * ElfConstants.SectionHeaderSize];
            read((long)tableOffset, table);
            sections = new ElfSectionHeader[count];
            for (int i = 0; i < count; i++)
            {
                sections[i] = ElfSectionHeader.Read(table.AsSpan(i * ElfConstants.SectionHeaderSize), little);
                if (HasData(sections[i]) && (sections[i].Offset > (ulong)fileLength || sections[i].Size > (ulong)fileLength - sections[i].Offset))
                    return false;
            }
            return sections[namesIndex].Type == ElfConstants.SHT_STRTAB;
        }

        /// <summary>The program header table's file range (empty when there is none); false when it is unusual or outside the file.</summary>
        private static bool TryProgramHeaderRange(byte[] header, long fileLength, bool little, out Range range)
        {
            ReadOnlySpan<byte> span = header;
            ulong offset = ByteOrder.U64(span.Slice(32), little);
            int count = ByteOrder.U16(span.Slice(56), little);
            range = default;
            if (offset == 0 || count == 0)
                return true;
            ulong length = (ulong)count * ElfConstants.ProgramHeaderSize;
            if (count == ElfConstants.PN_XNUM || ByteOrder.U16(span.Slice(54), little) != ElfConstants.ProgramHeaderSize
                || offset > (ulong)fileLength || length > (ulong)fileLength - offset)
                return false;
            range = new Range((long)offset, (long)(offset + length));
            return true;
        }

        /// <summary>Sections not kept, and the relocation sections that apply to them.</summary>
        private static bool[] DroppedSections(ElfSectionHeader[] sections, ElfSectionHeader namesSection, ReadAt read, SectionFilter keep)
        {
            var names = new byte[namesSection.Size];
            read((long)namesSection.Offset, names);

            var dropped = new bool[sections.Length];
            for (int i = 1; i < sections.Length; i++)
                dropped[i] = !keep(NameAt(names, sections[i].Name), sections[i].Type);
            for (int i = 1; i < sections.Length; i++)
                dropped[i] |= ElfStripper.AppliesToDropped(sections[i].Type, sections[i].Info, dropped);
            return dropped;
        }

        /// <summary>A name for the droppable test only; an out-of-range offset reads as empty (kept), and the full parse reports it.</summary>
        private static ReadOnlySpan<byte> NameAt(byte[] names, uint offset)
        {
            if (offset >= (uint)names.Length) return default;
            int length = Utf8Text.TerminatedLength(names, (int)offset);
            return length < 0 ? default : names.AsSpan((int)offset, length);
        }

        private static bool HasData(in ElfSectionHeader section)
            => section.Type != ElfConstants.SHT_NOBITS && section.Type != ElfConstants.SHT_NULL;
    }
}
