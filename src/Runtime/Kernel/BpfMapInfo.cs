using BpfSkeleton.Interop;

namespace BpfSkeleton.Kernel
{
    /// <summary>What the kernel reports about a map (BPF_OBJ_GET_INFO_BY_FD).</summary>
    public sealed record BpfMapInfo
    {
        /// <summary>The map's name (at most 15 bytes).</summary>
        public required string Name { get; init; }
        /// <summary>The map's type.</summary>
        public required BpfMapType Type { get; init; }
        /// <summary>The map's kernel-wide id.</summary>
        public required uint Id { get; init; }
        /// <summary>Size of a key in bytes.</summary>
        public required uint KeySize { get; init; }
        /// <summary>Size of a value in bytes (one CPU's value for per-CPU maps).</summary>
        public required uint ValueSize { get; init; }
        /// <summary>Capacity in elements (ring buffers: bytes).</summary>
        public required uint MaxEntries { get; init; }
        /// <summary>The flags as the kernel keeps them.</summary>
        public required BpfMapFlags Flags { get; init; }
        /// <summary>Network device the map is offloaded to; 0 for none.</summary>
        public uint IfIndex { get; init; }
        /// <summary>Id of the BTF object describing key and value; 0 for none.</summary>
        public uint BtfId { get; init; }
        /// <summary>BTF type id of the key in <see cref="BtfId"/>; 0 for none.</summary>
        public uint BtfKeyTypeId { get; init; }
        /// <summary>BTF type id of the value in <see cref="BtfId"/>; 0 for none.</summary>
        public uint BtfValueTypeId { get; init; }
        /// <summary>For struct_ops maps: kernel BTF type id of the value struct; otherwise 0.</summary>
        public uint BtfVmlinuxValueTypeId { get; init; }
        /// <summary>For struct_ops maps: id of the kernel or module BTF holding <see cref="BtfVmlinuxValueTypeId"/>; otherwise 0.</summary>
        public uint BtfVmlinuxId { get; init; }
        /// <summary>Per-type extra (bloom filter hash count, arena mmap address); 0 for most maps.</summary>
        public ulong MapExtra { get; init; }

        internal static unsafe BpfMapInfo From(in Interop.MapInfoNative native)
        {
            fixed (byte* name = native.Name)
            {
                return new BpfMapInfo
                {
                    Name = ObjectName.Read(new System.ReadOnlySpan<byte>(name, Interop.MapCreateAttr.ObjectNameLength)),
                    Type = (BpfMapType)native.Type,
                    Id = native.Id,
                    KeySize = native.KeySize,
                    ValueSize = native.ValueSize,
                    MaxEntries = native.MaxEntries,
                    Flags = (BpfMapFlags)native.MapFlags,
                    IfIndex = native.IfIndex,
                    BtfId = native.BtfId,
                    BtfKeyTypeId = native.BtfKeyTypeId,
                    BtfValueTypeId = native.BtfValueTypeId,
                    BtfVmlinuxValueTypeId = native.BtfVmlinuxValueTypeId,
                    BtfVmlinuxId = native.BtfVmlinuxId,
                    MapExtra = native.MapExtra,
                };
            }
        }
    }
}
