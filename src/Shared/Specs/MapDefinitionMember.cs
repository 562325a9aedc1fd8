using System;

namespace BpfSkeleton.Specs
{
    /// <summary>The members a BTF-defined map's struct may have (<c>__uint(type, ...)</c> and the like).</summary>
    internal enum MapDefinitionMember
    {
        Unknown,
        Type,
        MaxEntries,
        MapFlags,
        NumaNode,
        KeySize,
        ValueSize,
        MapExtra,
        Pinning,
        Key,
        Value,
        Values,
    }

    internal static class MapDefinitionMembers
    {
        private static readonly (byte[] Name, MapDefinitionMember Member)[] Known =
        {
            (Ascii("type"), MapDefinitionMember.Type),
            (Ascii("max_entries"), MapDefinitionMember.MaxEntries),
            (Ascii("map_flags"), MapDefinitionMember.MapFlags),
            (Ascii("numa_node"), MapDefinitionMember.NumaNode),
            (Ascii("key_size"), MapDefinitionMember.KeySize),
            (Ascii("value_size"), MapDefinitionMember.ValueSize),
            (Ascii("map_extra"), MapDefinitionMember.MapExtra),
            (Ascii("pinning"), MapDefinitionMember.Pinning),
            (Ascii("key"), MapDefinitionMember.Key),
            (Ascii("value"), MapDefinitionMember.Value),
            (Ascii("values"), MapDefinitionMember.Values),
        };

        /// <summary>Which member a BTF member name (UTF-8, as stored) is; compared as bytes, so no string per member.</summary>
        public static MapDefinitionMember Identify(ReadOnlySpan<byte> name)
        {
            foreach (var (known, member) in Known)
                if (name.SequenceEqual(known)) return member;
            return MapDefinitionMember.Unknown;
        }

        private static byte[] Ascii(string name) => System.Text.Encoding.ASCII.GetBytes(name);
    }
}
