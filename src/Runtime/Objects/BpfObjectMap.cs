using System;
using BpfSkeleton.Kernel;
using BpfSkeleton.Loading;
using BpfSkeleton.Specs;

namespace BpfSkeleton
{
    /// <summary>
    /// A map of a <see cref="BpfObject"/>: its definition (editable before load) and, after load,
    /// the live <see cref="BpfMap"/>.
    /// </summary>
    public sealed class BpfObjectMap : ILoadMap
    {
        internal BpfObjectMap(BpfObject owner, MapSpec spec, int index)
        {
            Object = owner;
            Spec = spec;
            Index = index;
        }

        /// <summary>Its place in <see cref="BpfObject.Maps"/>, and in the loaded state.</summary>
        internal int Index { get; }

        int ILoadMap.Index => Index;
        BpfMap? ILoadMap.Replacement => Replacement;

        /// <summary>The object the map belongs to.</summary>
        public BpfObject Object { get; }

        /// <summary>The definition as parsed (read only; edit through this map's setters, which work only before load).</summary>
        public MapSpec Spec { get; }

        /// <summary>The map's name: the declared variable name, or the section name for global data (".bss", ".rodata"...).</summary>
        public string Name => Spec.Name;

        /// <summary>The map's type, as defined.</summary>
        public BpfMapType Type => Spec.Type;

        /// <summary>
        /// The value size; settable before load as libbpf's bpf_map__set_value_size. For a global data section
        /// (<c>.data.*</c>, <c>.bss.*</c>, …) it resizes the section, keeping its bytes: when the last variable is an
        /// array and the new size ends on a whole element, the array grows or shrinks in BTF too; otherwise the
        /// map is created without a BTF value type (libbpf does the same). For a declared map whose BTF value
        /// type no longer matches, the map is created without BTF key/value types.
        /// </summary>
        public uint ValueSize
        {
            get => Spec.ValueSize;
            set
            {
                Object.RequireEditable($"map '{Name}' value size");
                if (Spec.DataSection is { } data)
                {
                    if (data.Kind == DataSectionKind.Kconfig)
                        throw new InvalidOperationException($"map '{Name}' holds the kconfig values the loader lays out; it cannot be resized");
                    if (value > int.MaxValue)
                        throw new ArgumentOutOfRangeException(nameof(value), value, "global data sections are at most 2 GiB");
                    if (!data.Resize((int)value, Object.Spec.Btf))
                        Spec.ValueTypeId = 0;
                }
                else if (Spec.Origin is MapOrigin.StructOps)
                {
                    throw new InvalidOperationException($"map '{Name}' is a struct_ops map, whose value is the kernel struct's size");
                }
                else
                {
                    DropBtfTypesUnless(Spec.ValueTypeId, value);
                }
                Spec.ValueSize = value;
            }
        }

        /// <summary>The key size; settable before load for declared and legacy maps (libbpf's bpf_map__set_key_size), with BTF as for <see cref="ValueSize"/>.</summary>
        public uint KeySize
        {
            get => Spec.KeySize;
            set
            {
                Object.RequireEditable($"map '{Name}' key size");
                if (Spec.Origin is not (MapOrigin.Declared or MapOrigin.Legacy))
                    throw new InvalidOperationException($"map '{Name}' is a {Spec.Origin} map, whose key the loader lays out");
                DropBtfTypesUnless(Spec.KeyTypeId, value);
                Spec.KeySize = value;
            }
        }

        /// <summary>BTF key/value types must describe the sizes the map is created with; a size that no longer matches drops both, as libbpf's retry without BTF does.</summary>
        private void DropBtfTypesUnless(int typeId, uint size)
        {
            if (typeId == 0 || Object.Spec.Btf is not { } btf || btf.ResolveSize(typeId) == size) return;
            Spec.KeyTypeId = 0;
            Spec.ValueTypeId = 0;
        }

        /// <summary>
        /// Capacity in elements (ring buffers: bytes), as Load() will create it. Setting it works only before load
        /// (<see cref="InvalidOperationException"/> after); for global data it resizes the section.
        /// </summary>
        public uint MaxEntries
        {
            get => Spec.MaxEntries;
            set { Object.RequireEditable($"map '{Name}' max_entries"); Spec.MaxEntries = value; }
        }

        /// <summary>
        /// BPF_MAP_CREATE map_flags as Load() will create the map (<see cref="BpfMapFlags"/> bits). Setting works only before load
        /// (<see cref="InvalidOperationException"/> after).
        /// </summary>
        public uint Flags
        {
            get => Spec.Flags;
            set { Object.RequireEditable($"map '{Name}' flags"); Spec.Flags = value; }
        }

        /// <summary>
        /// map_extra: a bloom filter's hash count, an arena's user address (0: the kernel chooses). Set
        /// from the definition's <c>__uint</c>/<c>__ulong(map_extra, …)</c>.
        /// </summary>
        public ulong MapExtra
        {
            get => Spec.MapExtra;
            set { Object.RequireEditable($"map '{Name}' map_extra"); Spec.MapExtra = value; }
        }

        /// <summary>
        /// The bpffs path Load() takes a compatible map from, or pins the map it creates at (libbpf's
        /// bpf_map__set_pin_path). By default <see cref="BpfOpenOptions.PinRoot"/>/name for maps declared
        /// with <c>__uint(pinning, LIBBPF_PIN_BY_NAME)</c>, otherwise null: not pinned.
        /// </summary>
        public string? PinPath
        {
            get => _pinPathSet ? _pinPath : Spec.Pinning == MapPinning.ByName ? System.IO.Path.Combine(Object.Options.PinRoot, Name) : null;
            set { Object.RequireEditable($"map '{Name}' pin path"); _pinPath = value; _pinPathSet = true; }
        }

        private string? _pinPath;
        private bool _pinPathSet;

        /// <summary>Whether Load() creates the map (false for <c>?.struct_ops</c> maps until set).</summary>
        public bool AutoCreate
        {
            get => Spec.AutoCreate;
            set { Object.RequireEditable($"map '{Name}' autocreate"); Spec.AutoCreate = value; }
        }

        /// <summary>True once created in the kernel (and until the object is disposed).</summary>
        public bool IsCreated => Loaded is not null;

        /// <summary>What Load() made of this map, or null.</summary>
        internal LoadedMap? Loaded => Object.Loaded?.Maps[Index];

        /// <summary>
        /// Uses <paramref name="map"/> instead of creating a map at load, so this object's programs share it
        /// (libbpf's bpf_map__reuse_fd, cilium/ebpf's MapReplacements). The object keeps a duplicate
        /// descriptor: the caller may dispose theirs. Load fails unless the map matches this definition
        /// (type, key and value size, max_entries, flags, map_extra); pinning is then ignored and the
        /// map's contents are left as they are (no global data or initial slots written).
        /// </summary>
        public void ReuseMap(BpfMap map)
        {
            ArgumentNullException.ThrowIfNull(map);
            Object.RequireEditable($"map '{Name}' reuse");
            if (Spec.Origin == MapOrigin.StructOps)
                throw new InvalidOperationException($"map '{Name}' is a struct_ops map, whose value the loader builds: it cannot reuse another map");
            if (Spec.Origin == MapOrigin.InnerTemplate)
                throw new InvalidOperationException($"map '{Name}' is only the template of an outer map's inner maps; reuse the outer map instead");
            var duplicate = BpfMap.FromFd(map.Fd.Duplicate());
            Replacement?.Dispose();
            Replacement = duplicate;
        }

        /// <summary>The map <see cref="ReuseMap"/> gave (a descriptor of the object's own), until the object is disposed.</summary>
        internal BpfMap? Replacement { get; private set; }

        /// <summary>The kernel map, after load.</summary>
        public BpfMap Map => Loaded?.Map ?? throw Object.Missing($"map '{Name}'", "was not created (autocreate is off)");

        /// <summary>
        /// An arena's pages, mapped into this process by Load() (as libbpf does) so the verifier knows the
        /// arena's user address; pointers the BPF side stores are addresses in this range. Unmapped
        /// when the object is disposed. Not set for an arena reused from a pin or <see cref="ReuseMap"/>.
        /// </summary>
        public BpfMappedRegion ArenaMemory => Loaded?.ArenaRegion ?? throw (
            Type != BpfMapType.Arena ? new InvalidOperationException($"map '{Name}' is a {Type} map, not an arena") :
            !IsCreated ? Object.Missing($"map '{Name}'", "was not created (autocreate is off)") :
            new InvalidOperationException($"map '{Name}' was reused (a pin or ReuseMap), not created, so this process has not mapped it"));

        /// <summary>Closes the map given to <see cref="ReuseMap"/> (the load took a descriptor of its own).</summary>
        internal void ReleaseReplacement()
        {
            Replacement?.Dispose();
            Replacement = null;
        }

        /// <summary>"map 'name' (Type)" for messages.</summary>
        public override string ToString() => $"map '{Name}' ({Type})";
    }
}
