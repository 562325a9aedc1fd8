namespace BpfSkeleton
{
    /// <summary>The kernel's <c>enum bpf_link_type</c>. Values as of Linux 6.18.</summary>
    public enum BpfLinkType : uint
    {
        Unspecified = 0,
        RawTracepoint = 1,
        Tracing = 2,
        Cgroup = 3,
        Iter = 4,
        Netns = 5,
        Xdp = 6,
        PerfEvent = 7,
        KprobeMulti = 8,
        StructOps = 9,
        Netfilter = 10,
        Tcx = 11,
        UprobeMulti = 12,
        Netkit = 13,
        Sockmap = 14,
    }
}
