using System;
using System.Text;

namespace BpfSkeleton
{
    /// <summary>
    /// C <c>char[N]</c> members as strings, for generated skeletons: UTF-8, NUL-terminated, and
    /// length-checked so a value never silently loses its terminator or its tail.
    /// </summary>
    public static class SkeletonText
    {
        /// <summary>The text up to the first NUL (or the whole buffer when there is none).</summary>
        public static string Read(ReadOnlySpan<byte> buffer)
        {
            var end = buffer.IndexOf((byte)0);
            return Encoding.UTF8.GetString(end < 0 ? buffer : buffer.Slice(0, end));
        }

        /// <summary>Writes <paramref name="value"/> and zero-fills the rest. Throws if it does not fit with its NUL.</summary>
        public static void Write(Span<byte> buffer, string value, string memberName)
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Contains('\0'))
                throw new ArgumentException($"'{memberName}' cannot contain NUL characters", nameof(value));
            var length = Encoding.UTF8.GetByteCount(value);
            if (length > buffer.Length - 1)
                throw new ArgumentException(
                    $"'{memberName}' holds at most {buffer.Length - 1} UTF-8 bytes plus a NUL; \"{value}\" is {length} bytes", nameof(value));
            buffer.Clear();
            Encoding.UTF8.GetBytes(value, buffer);
        }
    }
}
