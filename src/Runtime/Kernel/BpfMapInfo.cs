namespace BpfSkeleton
{
    /// <summary>What the kernel reports about a map (BPF_OBJ_GET_INFO_BY_FD).</summary>
    public sealed record BpfMapInfo
    {
        public required string Name { get; init; }
        public required BpfMapType Type { get; init; }
        public required uint Id { get; init; }
        public required uint KeySize { get; init; }
        public required uint ValueSize { get; init; }
        public required uint MaxEntries { get; init; }
        public required BpfMapFlags Flags { get; init; }
        public uint IfIndex { get; init; }
        public uint BtfId { get; init; }
        public uint BtfKeyTypeId { get; init; }
        public uint BtfValueTypeId { get; init; }
        public uint BtfVmlinuxValueTypeId { get; init; }
        public uint BtfVmlinuxId { get; init; }
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
