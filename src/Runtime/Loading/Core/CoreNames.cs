using System;
using System.Text;
using BpfSkeleton.Btf;

namespace BpfSkeleton
{
    /// <summary>
    /// CO-RE name rules on raw UTF-8 BTF strings (no string per comparison): the "essential" name
    /// drops a <c>___flavor</c> suffix, found as libbpf does — the last <c>X___Y</c> where neither
    /// X nor Y is an underscore.
    /// </summary>
    internal static class CoreNames
    {
        /// <summary>The NUL-terminated name at <paramref name="offset"/> (empty for offset 0).</summary>
        public static ReadOnlySpan<byte> Bytes(BtfSpec btf, uint offset)
        {
            if (offset == 0) return ReadOnlySpan<byte>.Empty;
            var owner = btf.LocateString(offset, out var position);
            var rest = owner.Span.Slice(position);
            return rest.Slice(0, rest.IndexOf((byte)0));
        }

        public static int EssentialLength(ReadOnlySpan<byte> name)
        {
            for (var i = name.Length - 5; i >= 0; i--)
                if (name[i] != '_' && name[i + 1] == '_' && name[i + 2] == '_' && name[i + 3] == '_' && name[i + 4] != '_')
                    return i + 1;
            return name.Length;
        }

        public static ReadOnlySpan<byte> Essential(ReadOnlySpan<byte> name) => name.Slice(0, EssentialLength(name));

        public static string Essential(string name) => Encoding.UTF8.GetString(Essential(Encoding.UTF8.GetBytes(name)));

        /// <summary>libbpf's bpf_core_names_match: essential names equal; an anonymous target matches only an anonymous local.</summary>
        public static bool EssentialNamesMatch(BtfSpec local, uint localOffset, BtfSpec target, uint targetOffset)
        {
            var targetName = Bytes(target, targetOffset);
            var localName = Bytes(local, localOffset);
            if (targetName.IsEmpty) return localName.IsEmpty;
            return Essential(localName).SequenceEqual(Essential(targetName));
        }

        /// <summary>FNV-1a over the bytes, for the candidate index.</summary>
        public static uint Hash(ReadOnlySpan<byte> bytes)
        {
            var hash = 2166136261u;
            foreach (var b in bytes) hash = (hash ^ b) * 16777619u;
            return hash;
        }
    }
}
