using System;

namespace BpfSkeleton.Btf
{
    internal sealed partial class BtfSpec
    {
        /// <summary>struct btf_header, validated against the data it describes.</summary>
        internal readonly struct Header
        {
            public byte Version { get; init; }
            public byte Flags { get; init; }
            public uint HeaderLength { get; init; }
            public uint TypeOffset { get; init; }
            public uint TypeLength { get; init; }
            public uint StringOffset { get; init; }
            public uint StringLength { get; init; }
            public uint LayoutOffset { get; init; }
            public uint LayoutLength { get; init; }

            public static Header Read(ReadOnlySpan<byte> span, string fileName, out bool little)
            {
                if (span.Length < BtfLayout.MinHeaderSize)
                    throw Error(fileName, 0, $"{span.Length} bytes is shorter than the {BtfLayout.MinHeaderSize}-byte BTF header");
                if (span[0] == 0x9f && span[1] == 0xeb)
                    little = true;
                else if (span[0] == 0xeb && span[1] == 0x9f)
                    little = false;
                else
                    throw Error(fileName, 0, $"bad BTF magic 0x{span[0]:x2}{span[1]:x2}");
                if (span[2] != 1)
                    throw Error(fileName, 2, $"unsupported BTF version {span[2]}");

                uint headerLength = ByteOrder.U32(span.Slice(4), little);
                if (headerLength < BtfLayout.MinHeaderSize || headerLength > (uint)span.Length)
                    throw Error(fileName, 4, $"header length {headerLength} does not fit the {span.Length}-byte BTF");
                bool hasLayout = headerLength >= BtfLayout.HeaderSizeWithLayout;
                var header = new Header
                {
                    Version = span[2],
                    Flags = span[3],
                    HeaderLength = headerLength,
                    TypeOffset = ByteOrder.U32(span.Slice(8), little),
                    TypeLength = ByteOrder.U32(span.Slice(12), little),
                    StringOffset = ByteOrder.U32(span.Slice(16), little),
                    StringLength = ByteOrder.U32(span.Slice(20), little),
                    LayoutOffset = hasLayout ? ByteOrder.U32(span.Slice(24), little) : 0,
                    LayoutLength = hasLayout ? ByteOrder.U32(span.Slice(28), little) : 0,
                };
                ulong body = (ulong)span.Length - headerLength;
                if ((header.TypeOffset & 3) != 0)
                    throw Error(fileName, 8, $"type section offset {header.TypeOffset} is not 4-byte aligned");
                CheckRange(fileName, 8, "type", header.TypeOffset, header.TypeLength, body);
                CheckRange(fileName, 16, "string", header.StringOffset, header.StringLength, body);
                if (hasLayout)
                    CheckRange(fileName, 24, "layout", header.LayoutOffset, header.LayoutLength, body);
                if (header.TypeLength != 0 && header.StringLength != 0 && Overlap(header.TypeOffset, header.TypeLength, header.StringOffset, header.StringLength))
                    throw Error(fileName, 8, "type and string sections overlap");
                return header;
            }

            /// <summary>The string section must end in NUL (so every offset has a terminator) and, for base BTF, start with the empty string.</summary>
            public void CheckStrings(ReadOnlySpan<byte> span, string fileName, bool isSplit)
            {
                if (isSplit && StringLength == 0)
                    return;
                if (StringLength == 0)
                    throw Error(fileName, 16, "empty string section");
                if (StringLength - 1 > 0x00ffffff)
                    throw Error(fileName, 20, $"string section of {StringLength} bytes exceeds the BTF limit");
                ReadOnlySpan<byte> strings = span.Slice((int)(HeaderLength + StringOffset), (int)StringLength);
                if (strings[strings.Length - 1] != 0)
                    throw Error(fileName, StringOffset + StringLength - 1, "string section does not end in NUL");
                if (!isSplit && strings[0] != 0)
                    throw Error(fileName, StringOffset, "string section does not start with the empty string");
            }

            private static void CheckRange(string fileName, long at, string what, uint offset, uint length, ulong body)
            {
                if ((ulong)offset + length > body)
                    throw Error(fileName, at, $"{what} section (offset {offset}, length {length}) runs past the end of the BTF data");
            }

            private static bool Overlap(uint aOffset, uint aLength, uint bOffset, uint bLength)
                => (ulong)aOffset < (ulong)bOffset + bLength && (ulong)bOffset < (ulong)aOffset + aLength;
        }
    }
}
