namespace BpfSkeleton
{
    /// <summary>Where a program attaches; also the expected attach type given at load.</summary>
    /// <remarks>Values match <c>enum bpf_attach_type</c> of the Linux 6.18 UAPI (include/uapi/linux/bpf.h).</remarks>
    public enum BpfAttachType : uint
    {
        /// <summary>No expected attach type: the kernel reads 0 as "none" for most program types.</summary>
        None = 0,

        /// <summary><c>BPF_CGROUP_INET_INGRESS</c></summary>
        CgroupInetIngress = 0,

        /// <summary><c>BPF_CGROUP_INET_EGRESS</c></summary>
        CgroupInetEgress = 1,

        /// <summary><c>BPF_CGROUP_INET_SOCK_CREATE</c></summary>
        CgroupInetSockCreate = 2,

        /// <summary><c>BPF_CGROUP_SOCK_OPS</c></summary>
        CgroupSockOps = 3,

        /// <summary><c>BPF_SK_SKB_STREAM_PARSER</c></summary>
        SkSkbStreamParser = 4,

        /// <summary><c>BPF_SK_SKB_STREAM_VERDICT</c></summary>
        SkSkbStreamVerdict = 5,

        /// <summary><c>BPF_CGROUP_DEVICE</c></summary>
        CgroupDevice = 6,

        /// <summary><c>BPF_SK_MSG_VERDICT</c></summary>
        SkMsgVerdict = 7,

        /// <summary><c>BPF_CGROUP_INET4_BIND</c></summary>
        CgroupInet4Bind = 8,

        /// <summary><c>BPF_CGROUP_INET6_BIND</c></summary>
        CgroupInet6Bind = 9,

        /// <summary><c>BPF_CGROUP_INET4_CONNECT</c></summary>
        CgroupInet4Connect = 10,

        /// <summary><c>BPF_CGROUP_INET6_CONNECT</c></summary>
        CgroupInet6Connect = 11,

        /// <summary><c>BPF_CGROUP_INET4_POST_BIND</c></summary>
        CgroupInet4PostBind = 12,

        /// <summary><c>BPF_CGROUP_INET6_POST_BIND</c></summary>
        CgroupInet6PostBind = 13,

        /// <summary><c>BPF_CGROUP_UDP4_SENDMSG</c></summary>
        CgroupUdp4SendMsg = 14,

        /// <summary><c>BPF_CGROUP_UDP6_SENDMSG</c></summary>
        CgroupUdp6SendMsg = 15,

        /// <summary><c>BPF_LIRC_MODE2</c></summary>
        LircMode2 = 16,

        /// <summary><c>BPF_FLOW_DISSECTOR</c></summary>
        FlowDissector = 17,

        /// <summary><c>BPF_CGROUP_SYSCTL</c></summary>
        CgroupSysctl = 18,

        /// <summary><c>BPF_CGROUP_UDP4_RECVMSG</c></summary>
        CgroupUdp4RecvMsg = 19,

        /// <summary><c>BPF_CGROUP_UDP6_RECVMSG</c></summary>
        CgroupUdp6RecvMsg = 20,

        /// <summary><c>BPF_CGROUP_GETSOCKOPT</c></summary>
        CgroupGetSockOpt = 21,

        /// <summary><c>BPF_CGROUP_SETSOCKOPT</c></summary>
        CgroupSetSockOpt = 22,

        /// <summary><c>BPF_TRACE_RAW_TP</c></summary>
        TraceRawTp = 23,

        /// <summary><c>BPF_TRACE_FENTRY</c></summary>
        TraceFEntry = 24,

        /// <summary><c>BPF_TRACE_FEXIT</c></summary>
        TraceFExit = 25,

        /// <summary><c>BPF_MODIFY_RETURN</c></summary>
        ModifyReturn = 26,

        /// <summary><c>BPF_LSM_MAC</c></summary>
        LsmMac = 27,

        /// <summary><c>BPF_TRACE_ITER</c></summary>
        TraceIter = 28,

        /// <summary><c>BPF_CGROUP_INET4_GETPEERNAME</c></summary>
        CgroupInet4GetPeerName = 29,

        /// <summary><c>BPF_CGROUP_INET6_GETPEERNAME</c></summary>
        CgroupInet6GetPeerName = 30,

        /// <summary><c>BPF_CGROUP_INET4_GETSOCKNAME</c></summary>
        CgroupInet4GetSockName = 31,

        /// <summary><c>BPF_CGROUP_INET6_GETSOCKNAME</c></summary>
        CgroupInet6GetSockName = 32,

        /// <summary><c>BPF_XDP_DEVMAP</c></summary>
        XdpDevMap = 33,

        /// <summary><c>BPF_CGROUP_INET_SOCK_RELEASE</c></summary>
        CgroupInetSockRelease = 34,

        /// <summary><c>BPF_XDP_CPUMAP</c></summary>
        XdpCpuMap = 35,

        /// <summary><c>BPF_SK_LOOKUP</c></summary>
        SkLookup = 36,

        /// <summary><c>BPF_XDP</c></summary>
        Xdp = 37,

        /// <summary><c>BPF_SK_SKB_VERDICT</c></summary>
        SkSkbVerdict = 38,

        /// <summary><c>BPF_SK_REUSEPORT_SELECT</c></summary>
        SkReusePortSelect = 39,

        /// <summary><c>BPF_SK_REUSEPORT_SELECT_OR_MIGRATE</c></summary>
        SkReusePortSelectOrMigrate = 40,

        /// <summary><c>BPF_PERF_EVENT</c></summary>
        PerfEvent = 41,

        /// <summary><c>BPF_TRACE_KPROBE_MULTI</c></summary>
        TraceKProbeMulti = 42,

        /// <summary><c>BPF_LSM_CGROUP</c></summary>
        LsmCgroup = 43,

        /// <summary><c>BPF_STRUCT_OPS</c></summary>
        StructOps = 44,

        /// <summary><c>BPF_NETFILTER</c></summary>
        Netfilter = 45,

        /// <summary><c>BPF_TCX_INGRESS</c></summary>
        TcxIngress = 46,

        /// <summary><c>BPF_TCX_EGRESS</c></summary>
        TcxEgress = 47,

        /// <summary><c>BPF_TRACE_UPROBE_MULTI</c></summary>
        TraceUProbeMulti = 48,

        /// <summary><c>BPF_CGROUP_UNIX_CONNECT</c></summary>
        CgroupUnixConnect = 49,

        /// <summary><c>BPF_CGROUP_UNIX_SENDMSG</c></summary>
        CgroupUnixSendMsg = 50,

        /// <summary><c>BPF_CGROUP_UNIX_RECVMSG</c></summary>
        CgroupUnixRecvMsg = 51,

        /// <summary><c>BPF_CGROUP_UNIX_GETPEERNAME</c></summary>
        CgroupUnixGetPeerName = 52,

        /// <summary><c>BPF_CGROUP_UNIX_GETSOCKNAME</c></summary>
        CgroupUnixGetSockName = 53,

        /// <summary><c>BPF_NETKIT_PRIMARY</c></summary>
        NetKitPrimary = 54,

        /// <summary><c>BPF_NETKIT_PEER</c></summary>
        NetKitPeer = 55,

        /// <summary><c>BPF_TRACE_KPROBE_SESSION</c></summary>
        TraceKProbeSession = 56,

        /// <summary><c>BPF_TRACE_UPROBE_SESSION</c></summary>
        TraceUProbeSession = 57,

        /// <summary><c>BPF_TRACE_FSESSION</c>: one program run at a function's entry and at its exit.</summary>
        TraceFSession = 58,

        /// <summary><c>BPF_TRACE_FENTRY_MULTI</c>: fentry on many functions through one link.</summary>
        TraceFEntryMulti = 59,

        /// <summary><c>BPF_TRACE_FEXIT_MULTI</c>: fexit on many functions through one link.</summary>
        TraceFExitMulti = 60,

        /// <summary><c>BPF_TRACE_FSESSION_MULTI</c>: fsession on many functions through one link.</summary>
        TraceFSessionMulti = 61,
    }
}
