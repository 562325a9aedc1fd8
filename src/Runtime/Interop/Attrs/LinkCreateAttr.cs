using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    /// <summary>
    /// BPF_LINK_CREATE (64 bytes). The trailing union is laid out by offset; only the members the
    /// runtime uses are named.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 64)]
    internal struct LinkCreateAttr
    {
        /// <summary>prog_fd, or map_fd for struct_ops (union).</summary>
        [FieldOffset(0)] public uint ProgOrMapFd;
        /// <summary>target_fd, or target_ifindex (union).</summary>
        [FieldOffset(4)] public uint Target;
        [FieldOffset(8)] public uint AttachType;
        [FieldOffset(12)] public uint Flags;

        /// <summary>target_btf_id (also tracing.target_btf_id).</summary>
        [FieldOffset(16)] public uint TargetBtfId;
        [FieldOffset(16)] public ulong IterInfo;
        [FieldOffset(24)] public uint IterInfoLength;
        /// <summary>perf_event.bpf_cookie.</summary>
        [FieldOffset(16)] public ulong PerfEventCookie;
        /// <summary>tracing.cookie.</summary>
        [FieldOffset(24)] public ulong TracingCookie;
        /// <summary>tcx / netkit / cgroup: relative_fd or relative_id (union).</summary>
        [FieldOffset(16)] public uint Relative;
        /// <summary>tcx / netkit / cgroup: expected_revision.</summary>
        [FieldOffset(24)] public ulong ExpectedRevision;

        // kprobe_multi: flags, cnt, then pointers to syms, addrs, cookies.
        [FieldOffset(16)] public uint KprobeMultiFlags;
        [FieldOffset(20)] public uint KprobeMultiCount;
        [FieldOffset(24)] public ulong KprobeMultiSymbols;
        [FieldOffset(32)] public ulong KprobeMultiAddresses;
        [FieldOffset(40)] public ulong KprobeMultiCookies;

        // uprobe_multi: pointers to path, offsets, ref_ctr_offsets, cookies, then cnt, flags, pid.
        [FieldOffset(16)] public ulong UprobeMultiPath;
        [FieldOffset(24)] public ulong UprobeMultiOffsets;
        [FieldOffset(32)] public ulong UprobeMultiRefCounterOffsets;
        [FieldOffset(40)] public ulong UprobeMultiCookies;
        [FieldOffset(48)] public uint UprobeMultiCount;
        [FieldOffset(52)] public uint UprobeMultiFlags;
        [FieldOffset(56)] public uint UprobeMultiPid;

        // netfilter: pf, hooknum, priority, flags.
        [FieldOffset(16)] public uint NetfilterProtocolFamily;
        [FieldOffset(20)] public uint NetfilterHook;
        [FieldOffset(24)] public int NetfilterPriority;
        [FieldOffset(28)] public uint NetfilterFlags;
    }
}
