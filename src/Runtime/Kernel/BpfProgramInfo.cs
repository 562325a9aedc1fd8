using System;

namespace BpfSkeleton
{
    /// <summary>What the kernel reports about a program (BPF_OBJ_GET_INFO_BY_FD).</summary>
    public sealed record BpfProgramInfo
    {
        public required string Name { get; init; }
        public required BpfProgramType Type { get; init; }
        public required uint Id { get; init; }
        /// <summary>The program tag (hash of the instructions) as 16 hex digits, as bpftool prints it.</summary>
        public required string Tag { get; init; }
        public uint TranslatedLength { get; init; }
        public uint JitedLength { get; init; }
        public uint VerifiedInstructions { get; init; }
        public bool GplCompatible { get; init; }
        public uint BtfId { get; init; }
        public uint MapCount { get; init; }
        public uint AttachBtfId { get; init; }
        public uint AttachBtfObjectId { get; init; }
        /// <summary>Total run time, when BPF stats are enabled (see <see cref="BpfStatistics"/>).</summary>
        public ulong RunTimeNanoseconds { get; init; }
        public ulong RunCount { get; init; }
        public ulong RecursionMisses { get; init; }

        internal static unsafe BpfProgramInfo From(in Interop.ProgInfoNative native)
        {
            fixed (byte* name = native.Name)
            fixed (byte* tag = native.Tag)
            {
                return new BpfProgramInfo
                {
                    Name = ObjectName.Read(new ReadOnlySpan<byte>(name, Interop.MapCreateAttr.ObjectNameLength)),
                    Type = (BpfProgramType)native.Type,
                    Id = native.Id,
                    Tag = Convert.ToHexStringLower(new ReadOnlySpan<byte>(tag, Interop.ProgInfoNative.TagSize)),
                    TranslatedLength = native.XlatedProgLen,
                    JitedLength = native.JitedProgLen,
                    VerifiedInstructions = native.VerifiedInsns,
                    GplCompatible = (native.GplCompatibleBits & 1) != 0,
                    BtfId = native.BtfId,
                    MapCount = native.NrMapIds,
                    AttachBtfId = native.AttachBtfId,
                    AttachBtfObjectId = native.AttachBtfObjId,
                    RunTimeNanoseconds = native.RunTimeNs,
                    RunCount = native.RunCount,
                    RecursionMisses = native.RecursionMisses,
                };
            }
        }
    }
}
