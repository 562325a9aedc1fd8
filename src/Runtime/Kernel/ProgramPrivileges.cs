namespace BpfSkeleton
{
    /// <summary>
    /// The capabilities the kernel asks of a program load by type (bpf_prog_load: CAP_BPF, then CAP_PERFMON for
    /// perfmon program types, CAP_NET_ADMIN for net-admin ones), so an EPERM names exactly what is missing.
    /// CapabilityTableTests holds this against the kernel for struct_ops.
    /// </summary>
    internal static class ProgramPrivileges
    {
        public static string Needed(BpfProgramType type)
        {
            bool perfmon = IsPerfmonType(type), netAdmin = IsNetAdminType(type);
            return perfmon && netAdmin ? "CAP_BPF + CAP_PERFMON + CAP_NET_ADMIN"
                : perfmon ? "CAP_BPF + CAP_PERFMON"
                : netAdmin ? "CAP_BPF + CAP_NET_ADMIN"
                : "CAP_BPF";
        }

        private static bool IsPerfmonType(BpfProgramType type) => type is BpfProgramType.KProbe or BpfProgramType.Tracepoint
            or BpfProgramType.PerfEvent or BpfProgramType.RawTracepoint or BpfProgramType.RawTracepointWritable or BpfProgramType.Tracing
            or BpfProgramType.Lsm or BpfProgramType.StructOps or BpfProgramType.Ext;

        private static bool IsNetAdminType(BpfProgramType type) => type is BpfProgramType.SchedCls or BpfProgramType.SchedAct
            or BpfProgramType.CgroupSkb or BpfProgramType.LwtIn or BpfProgramType.LwtOut or BpfProgramType.LwtXmit
            or BpfProgramType.LwtSeg6Local or BpfProgramType.SkSkb or BpfProgramType.SkMsg or BpfProgramType.FlowDissector
            or BpfProgramType.CgroupDevice or BpfProgramType.CgroupSock or BpfProgramType.CgroupSockAddr
            or BpfProgramType.CgroupSockOpt or BpfProgramType.CgroupSysctl or BpfProgramType.SockOps or BpfProgramType.Ext
            or BpfProgramType.Netfilter;
    }
}
