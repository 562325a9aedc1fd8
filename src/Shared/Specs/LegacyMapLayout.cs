namespace BpfSkeleton.Specs
{
    /// <summary>
    /// The two fixed layouts of a legacy <c>SEC("maps")</c> definition, told apart by the struct's BTF name
    /// where the object has BTF, otherwise by size (iproute2's is 36 bytes, libbpf's 20 to 28).
    /// </summary>
    internal enum LegacyMapLayout
    {
        /// <summary>
        /// libbpf 0.x / samples' <c>struct bpf_map_def</c>: type, key_size, value_size, max_entries, map_flags,
        /// then (samples/bpf only) inner_map_idx and numa_node.
        /// </summary>
        MapDef,

        /// <summary>
        /// iproute2's <c>struct bpf_elf_map</c>: type, size_key, size_value, max_elem, flags, id, pinning,
        /// inner_id, inner_idx.
        /// </summary>
        ElfMap,
    }

    /// <summary>Field offsets of the legacy layouts (all fields are 32-bit).</summary>
    internal static class LegacyMapFields
    {
        public const int Type = 0;
        public const int KeySize = 4;
        public const int ValueSize = 8;
        public const int MaxEntries = 12;
        public const int Flags = 16;

        /// <summary>The shortest definition either layout allows: the five fields above.</summary>
        public const int MinimumSize = 20;

        /// <summary><c>bpf_map_def.numa_node</c> (samples/bpf's 28-byte form).</summary>
        public const int MapDefNumaNode = 24;

        /// <summary><c>bpf_elf_map.pinning</c>: PIN_NONE 0, PIN_OBJECT_NS 1, PIN_GLOBAL_NS 2.</summary>
        public const int ElfMapPinning = 24;

        /// <summary>iproute2's full <c>struct bpf_elf_map</c>.</summary>
        public const int ElfMapSize = 36;

        public const string ElfMapStructName = "bpf_elf_map";
    }
}
