namespace BpfSkeleton
{
    /// <summary>Everything BPF_MAP_CREATE accepts. Unset members are left zero, as the kernel expects.</summary>
    public sealed class BpfMapCreateOptions
    {
        public BpfMapType Type { get; set; }

        /// <summary>Name shown by bpftool; sanitized to [A-Za-z0-9_.] and cut at 15 bytes.</summary>
        public string? Name { get; set; }

        public uint KeySize { get; set; }

        public uint ValueSize { get; set; }

        public uint MaxEntries { get; set; }

        public BpfMapFlags Flags { get; set; }

        /// <summary>Template inner map for array/hash of maps.</summary>
        public BpfMap? InnerMap { get; set; }

        /// <summary>NUMA node; used when <see cref="Flags"/> has <see cref="BpfMapFlags.NumaNode"/>.</summary>
        public uint NumaNode { get; set; }

        /// <summary>Network device to offload the map to (0 = none).</summary>
        public uint IfIndex { get; set; }

        /// <summary>BTF describing key and value types.</summary>
        public BtfHandle? Btf { get; set; }

        public uint BtfKeyTypeId { get; set; }

        public uint BtfValueTypeId { get; set; }

        /// <summary>Kernel type id of the value for struct_ops maps.</summary>
        public uint BtfVmlinuxValueTypeId { get; set; }

        /// <summary>Module BTF holding <see cref="BtfVmlinuxValueTypeId"/> (sets BPF_F_VTYPE_BTF_OBJ_FD).</summary>
        public BtfHandle? ValueTypeBtfObject { get; set; }

        /// <summary>Per-type extra: bloom filter hash count, arena mmap address.</summary>
        public ulong MapExtra { get; set; }
    }
}
