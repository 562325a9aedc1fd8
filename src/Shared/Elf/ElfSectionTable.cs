using System;
using System.Runtime.InteropServices;

namespace BpfSkeleton.Elf
{
    /// <summary>
    /// The validated section header table: fields are read from the file's bytes on request and an
    /// <see cref="ElfSection"/> is made only for the sections someone asks for. A BPF object reader
    /// looks at about half of an object's sections (never its DWARF), and one object per section
    /// was much of what parsing an ELF file allocated.
    /// </summary>
    internal sealed class ElfSectionTable
    {
        public static readonly ElfSectionTable Empty = new ElfSectionTable(default, 0, 0, 0, 0, little: true);

        private readonly ReadOnlyMemory<byte> _file;
        private readonly int _headerOffset;
        private readonly int _namesStart; // the section name table, within the file
        private readonly ReadOnlyMemory<byte> _names;
        private readonly bool _little;
        private readonly ElfSection[] _made; // null until made
        private bool _allMade;
        private int[]? _relocationSectionOf; // by target section index: its SHT_REL section, or -1

        // The array behind the file when there is one: reads skip ReadOnlyMemory.Span.
        private readonly byte[]? _array;
        private readonly int _arrayStart;

        /// <summary>Headers, ranges and names must have been checked by <see cref="ElfReader"/>.</summary>
        public ElfSectionTable(ReadOnlyMemory<byte> file, int headerOffset, int count, int namesStart, int namesLength, bool little)
        {
            _file = file;
            _headerOffset = headerOffset;
            _namesStart = namesStart;
            _names = file.Slice(namesStart, namesLength);
            _little = little;
            Count = count;
            _made = count == 0 ? Array.Empty<ElfSection>() : new ElfSection[count];
            if (MemoryMarshal.TryGetArray(file, out ArraySegment<byte> segment))
            {
                _array = segment.Array;
                _arrayStart = segment.Offset;
            }
        }

        public int Count { get; }

        public uint Type(int index) => ByteOrder.U32(Header(index).Slice(4), _little);

        public ulong Flags(int index) => ByteOrder.U64(Header(index).Slice(8), _little);

        public ulong Size(int index) => ByteOrder.U64(Header(index).Slice(32), _little);

        public uint Link(int index) => ByteOrder.U32(Header(index).Slice(40), _little);

        public uint Info(int index) => ByteOrder.U32(Header(index).Slice(44), _little);

        public ulong EntrySize(int index) => ByteOrder.U64(Header(index).Slice(56), _little);

        /// <summary>The section's bytes, as <see cref="ElfSection.Data"/> has them (empty for SHT_NOBITS and SHT_NULL).</summary>
        public ReadOnlyMemory<byte> Data(int index)
        {
            uint type = Type(index);
            if (type == ElfConstants.SHT_NOBITS || type == ElfConstants.SHT_NULL)
                return ReadOnlyMemory<byte>.Empty;
            ReadOnlySpan<byte> header = Header(index);
            return _file.Slice((int)ByteOrder.U64(header.Slice(24), _little), (int)ByteOrder.U64(header.Slice(32), _little));
        }

        /// <summary>The name's UTF-8 bytes (validated when the file was parsed).</summary>
        public ReadOnlySpan<byte> NameUtf8(int index)
        {
            uint offset = ByteOrder.U32(Header(index), _little);
            ReadOnlySpan<byte> names = File.Slice(_namesStart, _names.Length);
            if (offset >= (uint)names.Length)
                return default; // only offset 0 of an empty table gets here
            ReadOnlySpan<byte> rest = names.Slice((int)offset);
            return rest.Slice(0, rest.IndexOf((byte)0));
        }

        /// <summary>
        /// The section name table from the name's first byte on: the name and its NUL, then other
        /// names. Comparing a known name against it needs no scan for the name's end.
        /// </summary>
        public ReadOnlySpan<byte> NameAndRest(int index)
        {
            uint offset = ByteOrder.U32(Header(index), _little);
            ReadOnlySpan<byte> names = File.Slice(_namesStart, _names.Length);
            return offset >= (uint)names.Length ? default : names.Slice((int)offset);
        }

        /// <summary>The first section called <paramref name="name"/>, or -1.</summary>
        public int IndexOf(string name)
        {
            for (int i = 0; i < Count; i++)
            {
                if (Utf8Text.EqualsString(NameUtf8(i), name))
                    return i;
            }
            return -1;
        }

        /// <summary>The first section whose name is these UTF-8 bytes, or -1; compared in place, with no scan for each name's end.</summary>
        public int IndexOf(ReadOnlySpan<byte> name)
        {
            for (int i = 0; i < Count; i++)
            {
                ReadOnlySpan<byte> rest = NameAndRest(i);
                if (rest.Length > name.Length && rest[name.Length] == 0 && rest.StartsWith(name))
                    return i;
            }
            return -1;
        }

        /// <summary>The first SHT_REL section whose sh_info is <paramref name="target"/>, or -1.</summary>
        public int RelocationSectionFor(int target)
        {
            int[] of = _relocationSectionOf ??= IndexRelocationSections();
            return (uint)target < (uint)of.Length ? of[target] : -1;
        }

        private int[] IndexRelocationSections()
        {
            var of = new int[Count];
            for (int i = 0; i < of.Length; i++)
                of[i] = -1;
            for (int i = Count - 1; i >= 0; i--) // backwards, so the first one wins
            {
                if (Type(i) != ElfConstants.SHT_REL) continue;
                uint target = Info(i);
                if (target < (uint)of.Length) of[target] = i;
            }
            return of;
        }

        /// <summary>The section object at an index, made on first use; every caller gets the same one.</summary>
        public ElfSection this[int index]
        {
            get
            {
                ElfSection? section = _made[index];
                if (section is not null)
                    return section;
                // A race makes two equal sections; the first published is the one everyone keeps.
                return System.Threading.Interlocked.CompareExchange(ref _made[index], Make(index), null!) ?? _made[index];
            }
        }

        /// <summary>Every section's object, in header order.</summary>
        public ElfSection[] All()
        {
            if (!_allMade)
            {
                for (int i = 0; i < _made.Length; i++)
                    _ = this[i];
                _allMade = true;
            }
            return _made;
        }

        private ElfSection Make(int index)
        {
            ElfSectionHeader h = ElfSectionHeader.Read(Header(index), _little);
            ElfName name = h.Name >= (uint)_names.Length
                ? new ElfName(_names, 0, 0)
                : new ElfName(_names, (int)h.Name, NameUtf8(index).Length);
            return new ElfSection(index, name, h.Type, h.Flags, h.Address, h.Offset, h.Size, h.Link, h.Info, h.Alignment, h.EntrySize, Data(index));
        }

        private ReadOnlySpan<byte> Header(int index)
            => File.Slice(_headerOffset + index * ElfConstants.SectionHeaderSize, ElfConstants.SectionHeaderSize);

        private ReadOnlySpan<byte> File => _array is not null ? new ReadOnlySpan<byte>(_array, _arrayStart, _file.Length) : _file.Span;
    }
}
