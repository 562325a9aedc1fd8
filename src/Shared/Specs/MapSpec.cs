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
    }

    /// <summary>LIBBPF_PIN_* values of a BTF map definition's <c>pinning</c> member.</summary>
    public enum MapPinning
    {
        None = 0,
        ByName = 1,
    }

    /// <summary>
    /// A map as the object defines it. Editable until load: max entries, flags, autocreate,
    /// pinning and initial slots.
    /// </summary>
    public sealed class MapSpec
    {
        public MapSpec(string name, MapOrigin origin)
        {
            Name = name;
            Origin = origin;
        }

        /// <summary>
        /// The map's name in the object: the variable name for declared and struct_ops maps,
        /// libbpf's internal name for global data (e.g. <c>globals.bss</c>).
        /// </summary>
        public string Name { get; }

        public MapOrigin Origin { get; }

        public BpfMapType Type { get; set; }

        public uint KeySize { get; set; }

        public uint ValueSize { get; set; }

        public uint MaxEntries { get; set; }

        /// <summary>BPF_F_* map_flags.</summary>
        public uint Flags { get; set; }

        /// <summary>map_extra (bloom filter hash count, arena address, …).</summary>
        public ulong MapExtra { get; set; }

        public uint NumaNode { get; set; }

        public MapPinning Pinning { get; set; }

        /// <summary>BTF type id of the key in the object's BTF, 0 when only a size is given.</summary>
        public int KeyTypeId { get; set; }

        /// <summary>BTF type id of the value in the object's BTF, 0 when only a size is given.</summary>
        public int ValueTypeId { get; set; }

        /// <summary>The inner map of an array/hash of maps, from <c>__array(values, struct inner)</c>.</summary>
        public MapSpec? InnerMap { get; set; }

        /// <summary>
        /// Initial slots from <c>__array(values, …)</c> initializers: index → the name of a map
        /// (map-in-map) or program (prog array).
        /// </summary>
        public SortedDictionary<uint, string> InitialSlots => _initialSlots ??= new SortedDictionary<uint, string>();

        // Created on first use: only map-in-map and prog array maps have slots.
        private SortedDictionary<uint, string>? _initialSlots;

        /// <summary>Whether <see cref="InitialSlots"/> has entries, without creating it.</summary>
        internal bool HasInitialSlots => _initialSlots is { Count: > 0 };

        /// <summary>Whether <c>Load</c> creates this map; false for <c>?.struct_ops</c> maps until asked.</summary>
        public bool AutoCreate { get; set; } = true;

        /// <summary>The global data section behind this map (origin <see cref="MapOrigin.GlobalData"/>).</summary>
        public DataSectionSpec? DataSection { get; internal set; }

        /// <summary>The struct_ops definition behind this map (origin <see cref="MapOrigin.StructOps"/>).</summary>
        public StructOpsSpec? StructOps { get; internal set; }

        public override string ToString() => $"{Name} ({Type}, key {KeySize}, value {ValueSize}, max {MaxEntries})";
    }
}
