namespace BpfSkeleton.Kernel
{
    /// <summary>Everything BPF_MAP_CREATE accepts. Unset members are left zero, as the kernel expects.</summary>
    public sealed class BpfMapCreateOptions
    {
        /// <summary>The type of map to create.</summary>
        public BpfMapType Type { get; set; }

        /// <summary>Name shown by bpftool; sanitized to [A-Za-z0-9_.] and cut at 15 bytes.</summary>
        public string? Name { get; set; }

        /// <summary>Size of a key in bytes (0 for queue, stack and ring buffer maps).</summary>
        public uint KeySize { get; set; }

        /// <summary>Size of a value in bytes (for per-CPU maps: one CPU's value).</summary>
        public uint ValueSize { get; set; }

        /// <summary>Capacity in elements (ring buffers: size in bytes, a power of two and a multiple of the page size).</summary>
        public uint MaxEntries { get; set; }

        /// <summary>BPF_MAP_CREATE map_flags.</summary>
        public BpfMapFlags Flags { get; set; }

        /// <summary>Template inner map for array/hash of maps.</summary>
        public BpfMap? InnerMap { get; set; }

        /// <summary>NUMA node; used when <see cref="Flags"/> has <see cref="BpfMapFlags.NumaNode"/>.</summary>
        public uint NumaNode { get; set; }

        /// <summary>Network device to offload the map to (0 = none).</summary>
        public uint IfIndex { get; set; }

        /// <summary>BTF describing key and value types.</summary>
        public BtfHandle? Btf { get; set; }

        /// <summary>BTF type id of the key in <see cref="Btf"/>; 0 for none.</summary>
        public uint BtfKeyTypeId { get; set; }

        /// <summary>BTF type id of the value in <see cref="Btf"/>; 0 for none.</summary>
        public uint BtfValueTypeId { get; set; }

        /// <summary>Kernel type id of the value for struct_ops maps.</summary>
        public uint BtfVmlinuxValueTypeId { get; set; }

        /// <summary>Module BTF holding <see cref="BtfVmlinuxValueTypeId"/> (sets BPF_F_VTYPE_BTF_OBJ_FD).</summary>
        public BtfHandle? ValueTypeBtfObject { get; set; }

        /// <summary>Per-type extra: bloom filter hash count, arena mmap address.</summary>
        public ulong MapExtra { get; set; }
    
        /// <summary>
        /// The SHA-256 of the one program that may use the map (<c>excl_prog_hash</c>, Linux 6.18): for a light
        /// skeleton's signable loader map.
        /// </summary>
        internal System.ReadOnlyMemory<byte> ExclusiveProgramHash { get; set; }
    }
}
