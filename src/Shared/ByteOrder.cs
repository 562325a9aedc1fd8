using System;
using System.Buffers.Binary;

namespace BpfSkeleton
{
    /// <summary>Reads fixed-size integers in a file's byte order (ELF and BTF can be either).</summary>
    internal static class ByteOrder
    {
        public static ushort U16(ReadOnlySpan<byte> s, bool little)
            => little ? BinaryPrimitives.ReadUInt16LittleEndian(s) : BinaryPrimitives.ReadUInt16BigEndian(s);

        public static uint U32(ReadOnlySpan<byte> s, bool little)
            => little ? BinaryPrimitives.ReadUInt32LittleEndian(s) : BinaryPrimitives.ReadUInt32BigEndian(s);

        public static ulong U64(ReadOnlySpan<byte> s, bool little)
            => little ? BinaryPrimitives.ReadUInt64LittleEndian(s) : BinaryPrimitives.ReadUInt64BigEndian(s);

        public static void WriteU32(Span<byte> s, bool little, uint value)
        {
            if (little)
                BinaryPrimitives.WriteUInt32LittleEndian(s, value);
            else
                BinaryPrimitives.WriteUInt32BigEndian(s, value);
        }

        public static void WriteU64(Span<byte> s, bool little, ulong value)
        {
            if (little)
                BinaryPrimitives.WriteUInt64LittleEndian(s, value);
            else
                BinaryPrimitives.WriteUInt64BigEndian(s, value);
        }

        public static void WriteU16(Span<byte> s, bool little, ushort value)
        {
            if (little)
                BinaryPrimitives.WriteUInt16LittleEndian(s, value);
            else
                BinaryPrimitives.WriteUInt16BigEndian(s, value);
        }
    }
}
