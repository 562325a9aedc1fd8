using BpfSkeleton.Kernel;

namespace BpfSkeleton.Links
{
    /// <summary>What the kernel reports about a link. Type-specific members are 0/null when they do not apply.</summary>
    public sealed record BpfLinkInfo
    {
        /// <summary>The link's type.</summary>
        public required BpfLinkType Type { get; init; }
        /// <summary>The link's kernel-wide id.</summary>
        public required uint Id { get; init; }
        /// <summary>Id of the attached program (0 for struct_ops links, which attach a map).</summary>
        public required uint ProgramId { get; init; }
        /// <summary>Attach type, for tracing, cgroup, tcx, netkit and network namespace links.</summary>
        public BpfAttachType? AttachType { get; init; }
        /// <summary>Network device, for xdp, tcx and netkit links.</summary>
        public uint IfIndex { get; init; }
        /// <summary>Map, for struct_ops and map-iterator links.</summary>
        public uint MapId { get; init; }
        /// <summary>Cgroup, for cgroup links: the cgroup's id (its inode number in cgroupfs).</summary>
        public ulong CgroupId { get; init; }
        /// <summary>Tracing links: the target program's id (freplace, fentry/fexit on a program) or the BTF object's id (0: vmlinux).</summary>
        public uint TargetObjectId { get; init; }
        /// <summary>Tracing links: the BTF id of the traced or replaced function, in the target's BTF.</summary>
        public uint TargetBtfId { get; init; }
        /// <summary>Tracepoint name, for raw tracepoint and tracepoint perf-event links.</summary>
        public string? TracepointName { get; init; }
    }
}
