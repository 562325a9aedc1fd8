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
            return Encoding.UTF8.GetString(memory.Span.Slice(start, length));
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
    }
}
