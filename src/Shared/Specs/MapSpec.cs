using System.Collections.Generic;

namespace BpfSkeleton.Specs
{
    /// <summary>Where a map's definition came from.</summary>
    public enum MapOrigin
    {
        /// <summary>A BTF-defined map in <c>.maps</c>.</summary>
        Declared,
        /// <summary>The array map backing a global data section (<c>.bss</c>, <c>.data</c>, <c>.rodata</c>, <c>.kconfig</c>, …).</summary>
        GlobalData,
        /// <summary>A variable in a <c>.struct_ops*</c> section.</summary>
        StructOps,
        /// <summary>The inner-map template of a map-in-map; never created on its own.</summary>
        InnerTemplate,
        /// <summary>
        /// A fixed-layout definition in the legacy <c>maps</c> section (<c>struct bpf_map_def</c>, iproute2's
        /// <c>struct bpf_elf_map</c>): sizes only, no BTF key/value types.
        /// </summary>
        Legacy,
    }

    /// <summary>LIBBPF_PIN_* values of a BTF map definition's <c>pinning</c> member.</summary>
    public enum MapPinning
    {
        /// <summary>LIBBPF_PIN_NONE: the map is not pinned.</summary>
        None = 0,
        /// <summary>
        /// LIBBPF_PIN_BY_NAME: pinned under the pin root (by default /sys/fs/bpf) by the map's name, and reused when a compatible pin exists.
        /// </summary>
        ByName = 1,
    }

    /// <summary>
    /// A map as the object defines it. Editable until an opened object loads it (then every setter refuses,
    /// as the object's own do): sizes, max entries, flags, autocreate, pinning.
    /// </summary>
    public sealed class MapSpec
    {
        internal MapSpec(string name, MapOrigin origin)
        {
            Name = name;
            Origin = origin;
        }

        /// <summary>
        /// The map's name in the object: the variable name for declared and struct_ops maps,
        /// libbpf's internal name for global data (e.g. <c>globals.bss</c>).
        /// </summary>
        public string Name { get; }

        /// <summary>Where the definition came from: a declared map, global data or struct_ops.</summary>
        public MapOrigin Origin { get; }

        /// <summary>The opened object's edit check; see <see cref="SpecEditGuard"/>.</summary>
        internal SpecEditGuard Guard { get; set; } = SpecEditGuard.None;

        private BpfMapType _type;
        private uint _keySize, _valueSize, _maxEntries, _flags, _numaNode;
        private ulong _mapExtra;
        private MapPinning _pinning;
        private int _keyTypeId, _valueTypeId;
        private MapSpec? _innerMap;
        private bool _autoCreate = true;

        /// <summary>
        /// The map type to create. Setting it on an opened object works only before load (<see cref="System.InvalidOperationException"/> after).
        /// </summary>
        public BpfMapType Type { get => _type; set { Guard.BeforeEdit("map ", Name, " type"); _type = value; } }

        /// <summary>Size of a key in bytes. Settable only before load, as <see cref="Type"/>.</summary>
        public uint KeySize { get => _keySize; set { Guard.BeforeEdit("map ", Name, " key size"); _keySize = value; } }

        /// <summary>Size of a value in bytes (one CPU's value for per-CPU maps). Settable only before load, as <see cref="Type"/>.</summary>
        public uint ValueSize { get => _valueSize; set { Guard.BeforeEdit("map ", Name, " value size"); _valueSize = value; } }

        /// <summary>Capacity in elements (ring buffers: bytes). Settable only before load, as <see cref="Type"/>.</summary>
        public uint MaxEntries { get => _maxEntries; set { Guard.BeforeEdit("map ", Name, " max_entries"); _maxEntries = value; } }

        /// <summary>BPF_F_* map_flags.</summary>
        public uint Flags { get => _flags; set { Guard.BeforeEdit("map ", Name, " flags"); _flags = value; } }

        /// <summary>map_extra (bloom filter hash count, arena address, …).</summary>
        public ulong MapExtra { get => _mapExtra; set { Guard.BeforeEdit("map ", Name, " map_extra"); _mapExtra = value; } }

        /// <summary>
        /// NUMA node to allocate on; used when <see cref="Flags"/> has BPF_F_NUMA_NODE. Settable only before load, as <see cref="Type"/>.
        /// </summary>
        public uint NumaNode { get => _numaNode; set { Guard.BeforeEdit("map ", Name, " NUMA node"); _numaNode = value; } }

        /// <summary>How the map is pinned (the definition's <c>pinning</c> member). Settable only before load, as <see cref="Type"/>.</summary>
        public MapPinning Pinning { get => _pinning; set { Guard.BeforeEdit("map ", Name, " pinning"); _pinning = value; } }

        /// <summary>BTF type id of the key in the object's BTF, 0 when only a size is given.</summary>
        public int KeyTypeId { get => _keyTypeId; set { Guard.BeforeEdit("map ", Name, " BTF key type"); _keyTypeId = value; } }

        /// <summary>BTF type id of the value in the object's BTF, 0 when only a size is given.</summary>
        public int ValueTypeId { get => _valueTypeId; set { Guard.BeforeEdit("map ", Name, " BTF value type"); _valueTypeId = value; } }

        /// <summary>The inner map of an array/hash of maps, from <c>__array(values, struct inner)</c>.</summary>
        public MapSpec? InnerMap { get => _innerMap; set { Guard.BeforeEdit("map ", Name, " inner map"); _innerMap = value; } }

        /// <summary>
        /// Initial slots from <c>__array(values, …)</c> initializers: index → the name of a map
        /// (map-in-map) or program (prog array).
        /// </summary>
        public IReadOnlyDictionary<uint, string> InitialSlots => (IReadOnlyDictionary<uint, string>?)_initialSlots ?? NoSlots;

        private static readonly SortedDictionary<uint, string> NoSlots = new SortedDictionary<uint, string>();

        // Created on first use: only map-in-map and prog array maps have slots.
        private SortedDictionary<uint, string>? _initialSlots;

        /// <summary>Whether <see cref="InitialSlots"/> has entries.</summary>
        internal bool HasInitialSlots => _initialSlots is { Count: > 0 };

        /// <summary>Sets a slot as the object's initializer names it (the reader's job, at open).</summary>
        internal void SetInitialSlot(uint index, string name) => (_initialSlots ??= new SortedDictionary<uint, string>())[index] = name;

        /// <summary>Whether <c>Load</c> creates this map; false for <c>?.struct_ops</c> maps until asked.</summary>
        public bool AutoCreate { get => _autoCreate; set { Guard.BeforeEdit("map ", Name, " autocreate"); _autoCreate = value; } }

        /// <summary>The global data section behind this map (origin <see cref="MapOrigin.GlobalData"/>).</summary>
        public DataSectionSpec? DataSection { get; internal set; }

        /// <summary>The struct_ops definition behind this map (origin <see cref="MapOrigin.StructOps"/>).</summary>
        public StructOpsSpec? StructOps { get; internal set; }

        /// <summary>"name (Type, key K, value V, max M)" for messages.</summary>
        public override string ToString() => $"{Name} ({Type}, key {KeySize}, value {ValueSize}, max {MaxEntries})";
    }
}
