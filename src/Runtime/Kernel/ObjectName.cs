using System;
using System.Text;

namespace BpfSkeleton.Kernel
{
    /// <summary>Kernel object names (maps, programs): at most 15 bytes of [A-Za-z0-9_.] plus NUL.</summary>
    internal static class ObjectName
    {
        internal const int MaxLength = 15;

        /// <summary>
        /// Writes <paramref name="name"/> into a 16-byte attr field: characters the kernel rejects
        /// become '_' (as libbpf does for its internal map names) and the result is cut at 15.
        /// </summary>
        internal static void Write(string? name, Span<byte> destination)
        {
            destination.Clear();
            if (string.IsNullOrEmpty(name))
                return;
            int length = Math.Min(name.Length, Math.Min(MaxLength, destination.Length - 1));
            for (int i = 0; i < length; i++)
            {
                char c = name[i];
                destination[i] = IsAllowed(c) ? (byte)c : (byte)'_';
            }
        }

        /// <summary>The sanitized, truncated form the kernel will report back.</summary>
        internal static string Sanitize(string? name)
        {
            if (name is not null && IsKernelReady(name))
                return name; // the common case: nothing to rewrite, nothing to allocate
            Span<byte> buffer = stackalloc byte[MaxLength + 1];
            Write(name, buffer);
            return Read(buffer);
        }

        private static bool IsKernelReady(string name)
        {
            if (name.Length > MaxLength) return false;
            foreach (char c in name)
                if (!IsAllowed(c)) return false;
            return true;
        }

        private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '.';

        internal static string Read(ReadOnlySpan<byte> field)
        {
            int end = field.IndexOf((byte)0);
            return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
        }
    }
}
