using System;
using System.Runtime.InteropServices;
using System.Text;

namespace BpfSkeleton
{
    /// <summary>UTF-8 decoding of NUL-terminated names stored in ELF and BTF string tables.</summary>
    internal static class Utf8Text
    {
        /// <summary>Length of the NUL-terminated string at <paramref name="start"/>, or -1 if no NUL follows it.</summary>
        public static int TerminatedLength(ReadOnlySpan<byte> table, int start)
            => table.Slice(start).IndexOf((byte)0);

        public static string Decode(ReadOnlyMemory<byte> memory, int start, int length)
        {
            if (length == 0)
                return string.Empty;
#if NETSTANDARD2_0
            if (MemoryMarshal.TryGetArray(memory, out ArraySegment<byte> segment) && segment.Array is not null)
                return Encoding.UTF8.GetString(segment.Array, segment.Offset + start, length);
            return Encoding.UTF8.GetString(memory.Span.Slice(start, length).ToArray());
#else
            return Decode(memory.Span.Slice(start, length));
#endif
        }

        /// <summary>True when the NUL-terminated string at <paramref name="start"/> equals <paramref name="utf8"/>.</summary>
        public static bool EqualsAt(ReadOnlySpan<byte> table, int start, ReadOnlySpan<byte> utf8)
        {
            int end = start + utf8.Length;
            if ((uint)end >= (uint)table.Length)
                return false;
            return table[end] == 0 && table.Slice(start, utf8.Length).SequenceEqual(utf8);
        }

        /// <summary>
        /// True when <paramref name="utf8"/> decodes to <paramref name="text"/>, without decoding
        /// ASCII (the usual case); anything else is decoded and compared.
        /// </summary>
        public static bool EqualsString(ReadOnlySpan<byte> utf8, string text)
        {
            // Decoding never yields more UTF-16 chars than there are bytes (invalid bytes become one
            // U+FFFD each), so a shorter byte string cannot match: the common miss costs nothing.
            if (utf8.Length < text.Length)
                return false;
            int i = 0;
            while (i < text.Length && utf8[i] < 0x80 && utf8[i] == text[i])
                i++;
            if (i == text.Length)
                return i == utf8.Length; // any bytes left decode to at least one more char
            if (utf8[i] < 0x80)
                return false; // after an ASCII prefix an ASCII byte decodes to itself, and it differs
            return Decode(utf8) == text;
        }

        public static bool IsAscii(ReadOnlySpan<byte> utf8)
        {
            foreach (byte b in utf8)
                if (b >= 0x80)
                    return false;
            return true;
        }

        public static string Decode(ReadOnlySpan<byte> utf8)
        {
#if NETSTANDARD2_0
            return Encoding.UTF8.GetString(utf8.ToArray());
#else
            return Encoding.UTF8.GetString(utf8);
#endif
        }
    }
}
