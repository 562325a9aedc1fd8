using System;

namespace BpfSkeleton.Btf
{
    /// <summary>The u32 that follows an INT: encoding flags, bit offset and bit count.</summary>
    internal readonly struct BtfIntEncoding
    {
        public BtfIntEncoding(uint raw)
        {
            Raw = raw;
        }

        public uint Raw { get; }
        public BtfIntFlags Encoding => (BtfIntFlags)((Raw >> 24) & 0x0f);
        public byte Offset => (byte)(Raw >> 16);
        public byte Bits => (byte)Raw;
        public bool IsSigned => (Encoding & BtfIntFlags.Signed) != 0;
        public bool IsChar => (Encoding & BtfIntFlags.Char) != 0;
        public bool IsBool => (Encoding & BtfIntFlags.Bool) != 0;
    }

    /// <summary>struct btf_array.</summary>
    internal readonly struct BtfArray
    {
        public BtfArray(int elementTypeId, int indexTypeId, uint count)
        {
            ElementTypeId = elementTypeId;
            IndexTypeId = indexTypeId;
            Count = count;
        }

        public int ElementTypeId { get; }
        public int IndexTypeId { get; }
        public uint Count { get; }
    }

    /// <summary>A struct/union member; the bit offset and bitfield size already account for kind_flag.</summary>
    internal readonly struct BtfMember
    {
        private readonly BtfSpec _strings;

        internal BtfMember(BtfSpec strings, uint nameOffset, int typeId, uint bitOffset, byte bitfieldSize)
        {
            _strings = strings;
            NameOffset = nameOffset;
            TypeId = typeId;
            BitOffset = bitOffset;
            BitfieldSize = bitfieldSize;
        }

        public uint NameOffset { get; }
        public string Name => _strings.GetString(NameOffset);
        internal ReadOnlySpan<byte> NameUtf8 => _strings.GetStringUtf8(NameOffset);
        public int TypeId { get; }
        public uint BitOffset { get; }

        /// <summary>Width of a bitfield member, 0 for a plain member.</summary>
        public byte BitfieldSize { get; }
    }

    /// <summary>An ENUM or ENUM64 enumerator, its value sign- or zero-extended per the type's kind_flag.</summary>
    internal readonly struct BtfEnumValue
    {
        private readonly BtfSpec _strings;

        internal BtfEnumValue(BtfSpec strings, uint nameOffset, long value)
        {
            _strings = strings;
            NameOffset = nameOffset;
            Value = value;
        }

        public uint NameOffset { get; }
        public string Name => _strings.GetString(NameOffset);
        public long Value { get; }

        /// <summary>The value's bits read as unsigned (for unsigned 64-bit enumerators above long.MaxValue).</summary>
        public ulong UnsignedValue => unchecked((ulong)Value);
    }

    /// <summary>A FUNC_PROTO parameter (a last one with name 0 and type 0 marks varargs).</summary>
    internal readonly struct BtfParam
    {
        private readonly BtfSpec _strings;

        internal BtfParam(BtfSpec strings, uint nameOffset, int typeId)
        {
            _strings = strings;
            NameOffset = nameOffset;
            TypeId = typeId;
        }

        public uint NameOffset { get; }
        public string Name => _strings.GetString(NameOffset);
        public int TypeId { get; }
    }

    /// <summary>struct btf_var_secinfo: one variable of a DATASEC.</summary>
    internal readonly struct BtfVarSecInfo
    {
        public BtfVarSecInfo(int typeId, uint offset, uint size)
        {
            TypeId = typeId;
            Offset = offset;
            Size = size;
        }

        public int TypeId { get; }
        public uint Offset { get; }
        public uint Size { get; }
    }
}
