namespace BpfSkeleton.Kernel
{
    /// <summary>
    /// The capabilities the kernel asks for by program and map type, so an EPERM names exactly what is missing:
    /// bpf_prog_load wants CAP_BPF, plus CAP_PERFMON for perfmon program types and CAP_NET_ADMIN for net-admin
    /// ones; map_create wants CAP_NET_ADMIN as well for the maps that redirect packets or hold sockets.
    /// CapabilityTableTests holds these against the kernel.
    /// </summary>
    internal static class KernelPrivileges
    {
        public static string ForProgram(BpfProgramType type)
        {
            bool perfmon = IsPerfmonType(type), netAdmin = IsNetAdminType(type);
            return perfmon && netAdmin ? "CAP_BPF + CAP_PERFMON + CAP_NET_ADMIN"
                : perfmon ? "CAP_BPF + CAP_PERFMON"
                : netAdmin ? "CAP_BPF + CAP_NET_ADMIN"
                : "CAP_BPF";
        }

        /// <summary>Whether creating a map of this type needs CAP_NET_ADMIN besides CAP_BPF.</summary>
        public static bool MapNeedsNetAdmin(BpfMapType type) => type is BpfMapType.CpuMap or BpfMapType.DevMap
            or BpfMapType.DevMapHash or BpfMapType.SockMap or BpfMapType.SockHash or BpfMapType.XskMap;

        private static bool IsPerfmonType(BpfProgramType type) => type is BpfProgramType.KProbe or BpfProgramType.Tracepoint
            or BpfProgramType.PerfEvent or BpfProgramType.RawTracepoint or BpfProgramType.RawTracepointWritable or BpfProgramType.Tracing
            or BpfProgramType.Lsm or BpfProgramType.StructOps or BpfProgramType.Ext;

        // cgroup_skb and sk_reuseport are not here: the kernel lets CAP_BPF alone load them.
        private static bool IsNetAdminType(BpfProgramType type) => type is BpfProgramType.SchedCls or BpfProgramType.SchedAct
            or BpfProgramType.Xdp or BpfProgramType.LwtIn or BpfProgramType.LwtOut or BpfProgramType.LwtXmit
            or BpfProgramType.LwtSeg6Local or BpfProgramType.SkSkb or BpfProgramType.SkMsg or BpfProgramType.FlowDissector
            or BpfProgramType.CgroupDevice or BpfProgramType.CgroupSock or BpfProgramType.CgroupSockAddr
            or BpfProgramType.CgroupSockOpt or BpfProgramType.CgroupSysctl or BpfProgramType.SockOps or BpfProgramType.Ext
            or BpfProgramType.Netfilter;
    }
}
