using System;
using System.Collections.Generic;

namespace BpfSkeleton.Btf
{
    /// <summary>
    /// Parsed BTF: keeps the raw bytes and an index of where each type record starts, and decodes
    /// types on demand through <see cref="BtfType"/> views. Parsing checks the header, the string
    /// section and that every type record lies inside the type section; ids and string offsets
    /// inside records are checked when they are followed. Split BTF (module BTF on top of vmlinux)
    /// continues the base's type ids and string offsets.
    /// </summary>
    internal sealed partial class BtfSpec
    {
        internal const string SectionLabel = ".BTF";

        private readonly ReadOnlyMemory<byte> _data;
        // _data.Length, kept: ReadOnlyMemory's members are framework code that ReadyToRun code calls rather than
        // inlines, and every field read checks the length.
        private readonly int _length;
        private readonly int[] _typeOffsets; // absolute offset of type (FirstTypeId + i) in _data
        private readonly byte[] _kinds;
        private readonly int _ownTypeCount;
        private readonly int _typeStart;
        private readonly int _stringStart;
        private readonly uint _firstStringOffset;

        private BtfSpec(string fileName, ReadOnlyMemory<byte> data, BtfSpec? baseSpec, bool little, in Header header,
            int[] typeOffsets, byte[] kinds, int ownTypeCount)
        {
            FileName = fileName;
            _data = data;
            _length = data.Length;
            if (System.Runtime.InteropServices.MemoryMarshal.TryGetArray(data, out ArraySegment<byte> segment))
            {
                _array = segment.Array;
                _arrayStart = segment.Offset;
            }
#if !BPF_GENERATOR
            else if (System.Runtime.InteropServices.MemoryMarshal.TryGetMemoryManager(data, out UnmanagedBytes? native, out int start, out _))
            {
                unsafe { _native = native!.Pointer + start; }
            }
#endif
            Base = baseSpec;
            IsLittleEndian = little;
            Version = header.Version;
            Flags = header.Flags;
            HeaderLength = header.HeaderLength;
            TypeSectionOffset = header.TypeOffset;
            TypeSectionLength = header.TypeLength;
            StringSectionOffset = header.StringOffset;
            StringSectionLength = header.StringLength;
            LayoutSectionOffset = header.LayoutOffset;
            LayoutSectionLength = header.LayoutLength;
            _typeOffsets = typeOffsets;
            _kinds = kinds;
            _ownTypeCount = ownTypeCount;
            _typeStart = checked((int)(header.HeaderLength + header.TypeOffset));
            _stringStart = checked((int)(header.HeaderLength + header.StringOffset));
            FirstTypeId = baseSpec is null ? 1 : baseSpec.TypeCount + 1;
            _firstStringOffset = baseSpec is null ? 0 : baseSpec.EndStringOffset;
        }

        public string FileName { get; }
        public BtfSpec? Base { get; }
        public bool IsLittleEndian { get; }

        /// <summary>The bytes this spec was parsed from (its own part only, for split BTF).</summary>
        public ReadOnlyMemory<byte> RawBytes => _data;

        /// <summary>The lowest type id described by this spec's own bytes (1, or base.TypeCount + 1 for split BTF).</summary>
        public int FirstTypeId { get; }

        /// <summary>The highest valid type id, base included (id 0 is void and always valid).</summary>
        public int TypeCount => FirstTypeId - 1 + _ownTypeCount;

        /// <summary>Number of types described by this spec's own bytes.</summary>
        public int OwnTypeCount => _ownTypeCount;

        public byte Version { get; }
        public byte Flags { get; }
        public uint HeaderLength { get; }

        /// <summary>Type section offset relative to the end of the header, as in btf_header.type_off.</summary>
        public uint TypeSectionOffset { get; }
        public uint TypeSectionLength { get; }
        public uint StringSectionOffset { get; }
        public uint StringSectionLength { get; }

        /// <summary>Optional kind layout section (headers of 32 bytes or more); 0 when absent.</summary>
        public uint LayoutSectionOffset { get; }
        public uint LayoutSectionLength { get; }

        /// <summary>The first string offset of this spec's own string section (base string length for split BTF).</summary>
        public uint FirstStringOffset => _firstStringOffset;

        /// <summary>One past the highest valid string offset, base included.</summary>
        public uint EndStringOffset => _firstStringOffset + StringSectionLength;

        internal ReadOnlySpan<byte> Span
        {
            get
            {
                if (_array is not null)
                    return new ReadOnlySpan<byte>(_array, _arrayStart, _length);
#if !BPF_GENERATOR
                unsafe
                {
                    if (_native != null)
                        return new ReadOnlySpan<byte>(_native, _length);
                }
#endif
                return _data.Span;
            }
        }
        internal int TypeSectionStart => _typeStart;

        /// <summary>This spec's own string section (split BTF: without the base's), for scans that read many names.</summary>
        internal ReadOnlySpan<byte> OwnStrings => Span.Slice(_stringStart, (int)StringSectionLength);

        /// <summary>
        /// False when the name at <paramref name="nameOffset"/> cannot start with <paramref name="first"/>: a scan's
        /// cheap rejection, made on a span taken once (<see cref="OwnStrings"/>) instead of a string lookup per type.
        /// Offsets into a base spec or out of range are never rejected here, so the full lookup judges them.
        /// </summary>
        internal bool MayStartWith(ReadOnlySpan<byte> ownStrings, uint nameOffset, byte first)
        {
            if (nameOffset < _firstStringOffset)
                return true;
            uint local = nameOffset - _firstStringOffset;
            return local >= (uint)ownStrings.Length || ownStrings[(int)local] == first;
        }

        public static BtfSpec Parse(ReadOnlyMemory<byte> data, string fileName, BtfSpec? baseSpec = null)
        {
            if (fileName is null)
                throw new ArgumentNullException(nameof(fileName));
            ReadOnlySpan<byte> span = data.Span;
            Header header = Header.Read(span, fileName, out bool little);
            header.CheckStrings(span, fileName, isSplit: baseSpec is not null);

            int firstId = baseSpec is null ? 1 : baseSpec.TypeCount + 1;
            int start = (int)(header.HeaderLength + header.TypeOffset);
            int end = start + (int)header.TypeLength;
            int capacity = (int)Math.Min(header.TypeLength / BtfLayout.TypeHeaderSize, (uint)(header.TypeLength / 20 + 16));
            var offsets = new int[capacity];
            var kinds = new byte[capacity];
            int count = 0;
            byte[] fixedTail = BtfLayout.FixedTail;
            byte[] elementSize = BtfLayout.ElementSize;

            int at = start;
            while (at < end)
            {
                if (end - at < BtfLayout.TypeHeaderSize)
                    throw Error(fileName, at - header.HeaderLength, $"type {firstId + count}: record header runs past the type section");
                uint info = little
                    ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(span.Slice(at + 4))
                    : System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(span.Slice(at + 4));
                int kind = (int)((info >> 24) & 0x7f);
                if (kind == 0 || kind > BtfLayout.MaxKind)
                    throw Error(fileName, at - header.HeaderLength, $"type {firstId + count}: unknown kind {kind}");
                long length = BtfLayout.TypeHeaderSize + fixedTail[kind] + (long)(info & 0xffffff) * elementSize[kind];
                if (length > end - at)
                    throw Error(fileName, at - header.HeaderLength, $"type {firstId + count} ({(BtfKind)kind}): record of {length} bytes runs past the type section");
                if (count == offsets.Length)
                {
                    int grown = Math.Max(16, offsets.Length * 2);
                    Array.Resize(ref offsets, grown);
                    Array.Resize(ref kinds, grown);
                }
                offsets[count] = at;
                kinds[count] = (byte)kind;
                count++;
                at += (int)length;
            }
            if (firstId - 1 + count > BtfLayout.MaxTypeId)
                throw Error(fileName, header.TypeOffset, $"{firstId - 1 + count} types exceed the BTF limit of {BtfLayout.MaxTypeId}");
            return new BtfSpec(fileName, data, baseSpec, little, header, offsets, kinds, count);
        }

        /// <summary>A view of type <paramref name="id"/>; id 0 is void (kind Unknown).</summary>
        public BtfType GetType(int id)
        {
            if (id >= FirstTypeId)
            {
                int index = id - FirstTypeId;
                if (index >= _ownTypeCount)
                    throw Error(FileName, 0, $"type id {id} is out of range (highest is {TypeCount})");
                return new BtfType(this, id, _typeOffsets[index]);
            }
            if (id == 0)
                return new BtfType(this, 0, -1);
            if (id < 0 || Base is null)
                throw Error(FileName, 0, $"type id {id} is out of range (highest is {TypeCount})");
            return Base.GetType(id);
        }

        /// <summary>True when <paramref name="id"/> names void or a type of this spec or its base.</summary>
        public bool IsValidTypeId(int id) => id >= 0 && id <= TypeCount;

        /// <summary>Kind of a type without building a view (0 for void).</summary>
        public BtfKind GetKind(int id) => GetType(id).Kind;

        /// <summary>The NUL-terminated UTF-8 string at <paramref name="offset"/> in the (base + own) string section.</summary>
        public string GetString(uint offset)
        {
            if (offset < _firstStringOffset)
                return Base!.GetString(offset);
            int local = StringStart(offset);
            ReadOnlySpan<byte> span = Span;
            int length = span.Slice(local, _stringStart + (int)StringSectionLength - local).IndexOf((byte)0);
            return length == 0 ? string.Empty : Utf8Text.Decode(span.Slice(local, length));
        }

        /// <summary>The UTF-8 bytes of <see cref="GetString(uint)"/>, without decoding them.</summary>
        internal ReadOnlySpan<byte> GetStringUtf8(uint offset)
        {
            BtfSpec spec = LocateString(offset, out int position);
            ReadOnlySpan<byte> strings = spec.Span.Slice(position, spec._stringStart + (int)spec.StringSectionLength - position);
            return strings.Slice(0, strings.IndexOf((byte)0));
        }

        /// <summary>Absolute position of an own-section string; the section ends in NUL, so a terminator always follows.</summary>
        private int StringStart(uint offset)
        {
            uint local = offset - _firstStringOffset;
            if (local >= StringSectionLength)
                throw Error(FileName, StringSectionOffset, $"string offset {offset} is outside the string section (end {EndStringOffset})");
            return _stringStart + (int)local;
        }

        /// <summary>The spec whose strings hold <paramref name="offset"/> and the string's absolute position in it.</summary>
        internal BtfSpec LocateString(uint offset, out int position)
        {
            BtfSpec spec = this;
            while (offset < spec._firstStringOffset)
                spec = spec.Base!;
            position = spec.StringStart(offset);
            return spec;
        }

        internal byte OwnKind(int index) => _kinds[index];

        /// <summary>The kind of every own type, by own index: scanned for one kind without reading type records.</summary>
        internal ReadOnlySpan<byte> OwnKinds => new ReadOnlySpan<byte>(_kinds, 0, _ownTypeCount);
        internal int OwnOffset(int index) => _typeOffsets[index];

        // BTF is read a field at a time, so the common case (little-endian bytes in an array) is
        // small enough to inline; anything else takes the general path.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        internal uint ReadU32(int position)
        {
            // Bounds as the span would check them: within this spec's bytes, not just the array's.
            if (_array is { } array && IsLittleEndian && (ulong)(uint)position + 4 <= (ulong)_length)
                return System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(array, _arrayStart + position, 4));
#if !BPF_GENERATOR
            unsafe
            {
                if (_native != null && IsLittleEndian && (ulong)(uint)position + 4 <= (ulong)_length)
                    return System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(_native + position, 4));
            }
#endif
            return ReadU32Slow(position);
        }

        private uint ReadU32Slow(int position)
        {
            ReadOnlySpan<byte> bytes = Span.Slice(position);
            return IsLittleEndian
                ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes)
                : System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes);
        }

        // The array behind _data when there is one: reads skip ReadOnlyMemory's Span, which costs
        // more than the read itself and BTF is read a field at a time.
        private readonly byte[]? _array;
        private readonly int _arrayStart;
#if !BPF_GENERATOR
        // Or the native memory behind _data (kernel BTF mapped in place), read the same way.
        private readonly unsafe byte* _native;
#endif

        internal static BpfFormatException Error(string fileName, long offset, string problem)
            => new BpfFormatException(fileName, SectionLabel, offset, problem);

        public override string ToString() => $"BTF {FileName}: types {FirstTypeId}..{TypeCount}";
    }
}
