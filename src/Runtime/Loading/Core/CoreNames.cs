using System;
using BpfSkeleton.Btf;

namespace BpfSkeleton.Loading
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

        public static ReadOnlySpan<byte> Essential(ReadOnlySpan<byte> name) => name.Slice(0, BtfNames.EssentialLength(name));

        public static string Essential(string name) => BtfNames.EssentialName(name);

        /// <summary>libbpf's bpf_core_names_match: essential names equal; an anonymous target matches only an anonymous local.</summary>
        public static bool EssentialNamesMatch(BtfSpec local, uint localOffset, BtfSpec target, uint targetOffset)
        {
            var targetName = Bytes(target, targetOffset);
            var localName = Bytes(local, localOffset);
            if (targetName.IsEmpty) return localName.IsEmpty;
            return Essential(localName).SequenceEqual(Essential(targetName));
        }

        /// <summary>The same FNV-1a hash the BTF name index uses (the name slice has no NUL).</summary>
        public static uint Hash(ReadOnlySpan<byte> bytes) => BtfNameIndex.Hash(bytes);
    }
}
