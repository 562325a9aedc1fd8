using System;
using BpfSkeleton.Interop;

namespace BpfSkeleton.Kernel
{
    /// <summary>What the kernel reports about a program (BPF_OBJ_GET_INFO_BY_FD).</summary>
    public sealed record BpfProgramInfo
    {
        /// <summary>The program's name (at most 15 bytes).</summary>
        public required string Name { get; init; }
        /// <summary>The program's type.</summary>
        public required BpfProgramType Type { get; init; }
        /// <summary>The program's kernel-wide id.</summary>
        public required uint Id { get; init; }
        /// <summary>The program tag (hash of the instructions) as 16 hex digits, as bpftool prints it.</summary>
        public required string Tag { get; init; }
        /// <summary>Size in bytes of the instructions after the verifier's rewrites (xlated), as <c>bpftool prog dump xlated</c> shows them.</summary>
        public uint TranslatedLength { get; init; }
        /// <summary>Size in bytes of the JIT-compiled machine code; 0 when the program is interpreted.</summary>
        public uint JitedLength { get; init; }
        /// <summary>Instructions the verifier processed (its complexity measure; the limit is one million).</summary>
        public uint VerifiedInstructions { get; init; }
        /// <summary>True when the program's license is GPL-compatible (GPL-only helpers are available to it).</summary>
        public bool GplCompatible { get; init; }
        /// <summary>Id of the program's BTF object; 0 for none.</summary>
        public uint BtfId { get; init; }
        /// <summary>Number of maps the program uses.</summary>
        public uint MapCount { get; init; }
        /// <summary>BTF type id of the attach target (tracing, LSM, struct_ops, freplace programs); otherwise 0.</summary>
        public uint AttachBtfId { get; init; }
        /// <summary>Id of the BTF object holding <see cref="AttachBtfId"/> (vmlinux, a module or a program); 0 for none.</summary>
        public uint AttachBtfObjectId { get; init; }
        /// <summary>Total run time, when BPF stats are enabled (see <see cref="BpfStatistics"/>).</summary>
        public ulong RunTimeNanoseconds { get; init; }
        /// <summary>Times the program ran, when BPF stats are enabled (see <see cref="BpfStatistics"/>); otherwise 0.</summary>
        public ulong RunCount { get; init; }
        /// <summary>Times the program was skipped because it was already running on the CPU (recursion protection).</summary>
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
