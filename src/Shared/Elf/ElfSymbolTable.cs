using System;
using System.Runtime.InteropServices;

namespace BpfSkeleton.Elf
{
    /// <summary>
    /// A validated .symtab or .dynsym: fields are read from the file's bytes on request and an
    /// <see cref="ElfSymbol"/> is made only for the entries someone asks for. A BPF object reader
    /// needs few of them (debug section symbols and local labels are never looked at), and one
    /// object per entry was most of what parsing an ELF file allocated.
    /// </summary>
    internal sealed class ElfSymbolTable
    {
        public static readonly ElfSymbolTable Empty = new ElfSymbolTable(default, default, little: true);

        private readonly ReadOnlyMemory<byte> _entries;
        private readonly ReadOnlyMemory<byte> _strings;
        private readonly bool _little;
        private ElfSymbol[]? _made; // null until the first symbol is made, then each slot until its symbol is
        private bool _allMade;

        // The arrays behind the memories when there are some: reads skip ReadOnlyMemory.Span.
        private readonly byte[]? _entryArray;
        private readonly int _entryStart;
        private readonly byte[]? _stringArray;
        private readonly int _stringStart;

        /// <summary>Entries and strings must have been checked by <see cref="ElfReader"/>.</summary>
        public ElfSymbolTable(ReadOnlyMemory<byte> entries, ReadOnlyMemory<byte> strings, bool little)
        {
            _entries = entries;
            _strings = strings;
            _little = little;
            Count = entries.Length / ElfConstants.SymbolSize;
            if (MemoryMarshal.TryGetArray(entries, out ArraySegment<byte> e))
            {
                _entryArray = e.Array;
                _entryStart = e.Offset;
            }
            if (MemoryMarshal.TryGetArray(strings, out ArraySegment<byte> s))
            {
                _stringArray = s.Array;
                _stringStart = s.Offset;
            }
        }

        public int Count { get; }

        /// <summary>st_shndx as stored.</summary>
        public ushort SectionIndex(int index) => ByteOrder.U16(Entry(index).Slice(6), _little);

        /// <summary>STT_* (low nibble of st_info).</summary>
        public byte Type(int index) => (byte)(Entry(index)[4] & 0xf);

        /// <summary>STB_* (high nibble of st_info).</summary>
        public byte Bind(int index) => (byte)(Entry(index)[4] >> 4);

        /// <summary>STV_* (low two bits of st_other).</summary>
        public byte Visibility(int index) => (byte)(Entry(index)[5] & 0x3);

        public ulong Value(int index) => ByteOrder.U64(Entry(index).Slice(8), _little);

        public ulong Size(int index) => ByteOrder.U64(Entry(index).Slice(16), _little);

        /// <summary>The decoded name: the symbol object's when it was made, else decoded now.</summary>
        public string Name(int index) => _made?[index] is { } symbol ? symbol.Name : Utf8Text.Decode(NameUtf8(index));

        /// <summary>The name's UTF-8 bytes (validated when the file was parsed).</summary>
        public ReadOnlySpan<byte> NameUtf8(int index)
        {
            uint offset = ByteOrder.U32(Entry(index), _little);
            ReadOnlySpan<byte> strings = Strings;
            if (offset >= (uint)strings.Length)
                return default; // only offset 0 of an empty table gets here
            ReadOnlySpan<byte> rest = strings.Slice((int)offset);
            return rest.Slice(0, rest.IndexOf((byte)0));
        }

        /// <summary>Whether the name is <paramref name="text"/>, as comparing the decoded strings would say.</summary>
        public bool NameIs(int index, string text) => Utf8Text.EqualsString(NameUtf8(index), text);

        /// <summary>Whether the name's bytes are <paramref name="utf8"/>, compared in place (no scan for the name's end).</summary>
        public bool NameIsUtf8(int index, ReadOnlySpan<byte> utf8)
        {
            uint offset = ByteOrder.U32(Entry(index), _little);
            ReadOnlySpan<byte> strings = Strings;
            if (offset >= (uint)strings.Length)
                return utf8.IsEmpty;
            return Utf8Text.EqualsAt(strings, (int)offset, utf8);
        }

        /// <summary>The symbol object of an entry, made on first use; every caller gets the same one.</summary>
        public ElfSymbol this[int index]
        {
            get
            {
                ElfSymbol[] made = _made ?? MadeArray();
                ElfSymbol? symbol = made[index];
                if (symbol is not null)
                    return symbol;
                // A race makes two equal symbols; the first published is the one everyone keeps.
                return System.Threading.Interlocked.CompareExchange(ref made[index], Make(index), null!) ?? made[index];
            }
        }

        /// <summary>Every entry's object, in table order.</summary>
        public ElfSymbol[] All()
        {
            if (!_allMade)
            {
                for (int i = 0; i < Count; i++)
                    _ = this[i];
                _allMade = true;
            }
            return _made ?? MadeArray();
        }

        // An open usually reads symbols without making any (ElfSymbolTable's accessors), so the slots wait for the first.
        private ElfSymbol[] MadeArray()
        {
            var made = Count == 0 ? Array.Empty<ElfSymbol>() : new ElfSymbol[Count];
            return System.Threading.Interlocked.CompareExchange(ref _made, made, null) ?? made;
        }

        private ElfSymbol Make(int index)
        {
            ReadOnlySpan<byte> entry = Entry(index);
            uint nameOffset = ByteOrder.U32(entry, _little);
            byte info = entry[4];
            ElfName name = nameOffset >= (uint)_strings.Length
                ? new ElfName(_strings, 0, 0)
                : new ElfName(_strings, (int)nameOffset, NameUtf8(index).Length);
            return new ElfSymbol(index, name, Value(index), ByteOrder.U64(entry.Slice(16), _little),
                (byte)(info >> 4), (byte)(info & 0xf), (byte)(entry[5] & 0x3), SectionIndex(index));
        }

        private ReadOnlySpan<byte> Entry(int index)
        {
            ReadOnlySpan<byte> entries = _entryArray is not null
                ? new ReadOnlySpan<byte>(_entryArray, _entryStart, _entries.Length)
                : _entries.Span;
            return entries.Slice(index * ElfConstants.SymbolSize, ElfConstants.SymbolSize);
        }

        private ReadOnlySpan<byte> Strings => _stringArray is not null
            ? new ReadOnlySpan<byte>(_stringArray, _stringStart, _strings.Length)
            : _strings.Span;
    }
}
