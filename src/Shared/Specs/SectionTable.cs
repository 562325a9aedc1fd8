using System.Collections.Generic;
using static BpfSkeleton.Specs.SectionFlags;
using P = BpfSkeleton.BpfProgramType;
using A = BpfSkeleton.BpfAttachType;
using K = BpfSkeleton.Specs.AutoAttachKind;

namespace BpfSkeleton.Specs
{
    /// <summary>
    /// libbpf's SEC() conventions, in libbpf's order: the first definition that matches wins,
    /// so more specific names come before their prefixes.
    /// </summary>
    internal static class SectionTable
    {
        private static readonly SectionDefinition[] s_definitions =
        {
            new SectionDefinition("socket", P.SocketFilter, A.None),
            new SectionDefinition("sk_reuseport/migrate", P.SkReusePort, A.SkReusePortSelectOrMigrate, Attachable),
            new SectionDefinition("sk_reuseport", P.SkReusePort, A.SkReusePortSelect, Attachable),
            new SectionDefinition("kprobe+", P.KProbe, A.None, None, K.Kprobe),
            new SectionDefinition("uprobe+", P.KProbe, A.None, None, K.Uprobe),
            new SectionDefinition("uprobe.s+", P.KProbe, A.None, Sleepable, K.Uprobe),
            new SectionDefinition("kretprobe+", P.KProbe, A.None, None, K.Kprobe),
            new SectionDefinition("uretprobe+", P.KProbe, A.None, None, K.Uprobe),
            new SectionDefinition("uretprobe.s+", P.KProbe, A.None, Sleepable, K.Uprobe),
            new SectionDefinition("kprobe.multi+", P.KProbe, A.TraceKProbeMulti, None, K.KprobeMulti),
            new SectionDefinition("kretprobe.multi+", P.KProbe, A.TraceKProbeMulti, None, K.KprobeMulti),
            new SectionDefinition("kprobe.session+", P.KProbe, A.TraceKProbeSession, None, K.KprobeMulti),
            new SectionDefinition("uprobe.multi+", P.KProbe, A.TraceUProbeMulti, None, K.UprobeMulti),
            new SectionDefinition("uretprobe.multi+", P.KProbe, A.TraceUProbeMulti, None, K.UprobeMulti),
            new SectionDefinition("uprobe.session+", P.KProbe, A.TraceUProbeSession, None, K.UprobeMulti),
            new SectionDefinition("uprobe.multi.s+", P.KProbe, A.TraceUProbeMulti, Sleepable, K.UprobeMulti),
            new SectionDefinition("uretprobe.multi.s+", P.KProbe, A.TraceUProbeMulti, Sleepable, K.UprobeMulti),
            new SectionDefinition("uprobe.session.s+", P.KProbe, A.TraceUProbeSession, Sleepable, K.UprobeMulti),
            new SectionDefinition("ksyscall+", P.KProbe, A.None, None, K.Ksyscall),
            new SectionDefinition("kretsyscall+", P.KProbe, A.None, None, K.Ksyscall),
            new SectionDefinition("usdt+", P.KProbe, A.None, Usdt, K.Usdt),
            new SectionDefinition("usdt.s+", P.KProbe, A.None, Usdt | Sleepable, K.Usdt),
            new SectionDefinition("tc/ingress", P.SchedCls, A.TcxIngress),
            new SectionDefinition("tc/egress", P.SchedCls, A.TcxEgress),
            new SectionDefinition("tcx/ingress", P.SchedCls, A.TcxIngress),
            new SectionDefinition("tcx/egress", P.SchedCls, A.TcxEgress),
            new SectionDefinition("netkit/primary", P.SchedCls, A.NetKitPrimary),
            new SectionDefinition("netkit/peer", P.SchedCls, A.NetKitPeer),
            new SectionDefinition("tc", P.SchedCls, A.None),
            new SectionDefinition("classifier", P.SchedCls, A.None),
            new SectionDefinition("action", P.SchedAct, A.None),
            new SectionDefinition("tracepoint+", P.Tracepoint, A.None, None, K.Tracepoint),
            new SectionDefinition("tp+", P.Tracepoint, A.None, None, K.Tracepoint),
            new SectionDefinition("tracepoint.s+", P.Tracepoint, A.None, Sleepable, K.Tracepoint),
            new SectionDefinition("tp.s+", P.Tracepoint, A.None, Sleepable, K.Tracepoint),
            new SectionDefinition("raw_tracepoint+", P.RawTracepoint, A.None, None, K.RawTracepoint),
            new SectionDefinition("raw_tp+", P.RawTracepoint, A.None, None, K.RawTracepoint),
            new SectionDefinition("raw_tracepoint.s+", P.RawTracepoint, A.None, Sleepable, K.RawTracepoint),
            new SectionDefinition("raw_tp.s+", P.RawTracepoint, A.None, Sleepable, K.RawTracepoint),
            new SectionDefinition("raw_tracepoint.w+", P.RawTracepointWritable, A.None, None, K.RawTracepoint),
            new SectionDefinition("raw_tp.w+", P.RawTracepointWritable, A.None, None, K.RawTracepoint),
            new SectionDefinition("tp_btf+", P.Tracing, A.TraceRawTp, AttachBtf, K.Tracing),
            new SectionDefinition("tp_btf.s+", P.Tracing, A.TraceRawTp, AttachBtf | Sleepable, K.Tracing),
            new SectionDefinition("fentry+", P.Tracing, A.TraceFEntry, AttachBtf, K.Tracing),
            new SectionDefinition("fmod_ret+", P.Tracing, A.ModifyReturn, AttachBtf, K.Tracing),
            new SectionDefinition("fexit+", P.Tracing, A.TraceFExit, AttachBtf, K.Tracing),
            new SectionDefinition("fentry.s+", P.Tracing, A.TraceFEntry, AttachBtf | Sleepable, K.Tracing),
            new SectionDefinition("fmod_ret.s+", P.Tracing, A.ModifyReturn, AttachBtf | Sleepable, K.Tracing),
            new SectionDefinition("fexit.s+", P.Tracing, A.TraceFExit, AttachBtf | Sleepable, K.Tracing),
            new SectionDefinition("fsession+", P.Tracing, A.TraceFSession, AttachBtf, K.Tracing),
            new SectionDefinition("fsession.s+", P.Tracing, A.TraceFSession, AttachBtf | Sleepable, K.Tracing),
            // The multi forms name a pattern of functions, resolved when the link is made, so no BTF id is
            // looked up at load and there is no auto-attach (the tracing multi link is not built here yet).
            new SectionDefinition("fentry.multi+", P.Tracing, A.TraceFEntryMulti),
            new SectionDefinition("fexit.multi+", P.Tracing, A.TraceFExitMulti),
            new SectionDefinition("fsession.multi+", P.Tracing, A.TraceFSessionMulti),
            new SectionDefinition("fentry.multi.s+", P.Tracing, A.TraceFEntryMulti, Sleepable),
            new SectionDefinition("fexit.multi.s+", P.Tracing, A.TraceFExitMulti, Sleepable),
            new SectionDefinition("fsession.multi.s+", P.Tracing, A.TraceFSessionMulti, Sleepable),
            new SectionDefinition("freplace+", P.Ext, A.None, AttachBtf, K.Tracing),
            new SectionDefinition("lsm+", P.Lsm, A.LsmMac, AttachBtf, K.Lsm),
            new SectionDefinition("lsm.s+", P.Lsm, A.LsmMac, AttachBtf | Sleepable, K.Lsm),
            new SectionDefinition("lsm_cgroup+", P.Lsm, A.LsmCgroup, AttachBtf),
            new SectionDefinition("iter+", P.Tracing, A.TraceIter, AttachBtf, K.Iterator),
            new SectionDefinition("iter.s+", P.Tracing, A.TraceIter, AttachBtf | Sleepable, K.Iterator),
            new SectionDefinition("syscall", P.Syscall, A.None, Sleepable),
            new SectionDefinition("xdp.frags/devmap", P.Xdp, A.XdpDevMap, XdpFrags),
            new SectionDefinition("xdp/devmap", P.Xdp, A.XdpDevMap, Attachable),
            new SectionDefinition("xdp.frags/cpumap", P.Xdp, A.XdpCpuMap, XdpFrags),
            new SectionDefinition("xdp/cpumap", P.Xdp, A.XdpCpuMap, Attachable),
            new SectionDefinition("xdp.frags", P.Xdp, A.Xdp, XdpFrags),
            new SectionDefinition("xdp", P.Xdp, A.Xdp, AttachableOptional),
            new SectionDefinition("perf_event", P.PerfEvent, A.None),
            new SectionDefinition("lwt_in", P.LwtIn, A.None),
            new SectionDefinition("lwt_out", P.LwtOut, A.None),
            new SectionDefinition("lwt_xmit", P.LwtXmit, A.None),
            new SectionDefinition("lwt_seg6local", P.LwtSeg6Local, A.None),
            new SectionDefinition("sockops", P.SockOps, A.CgroupSockOps, AttachableOptional),
            new SectionDefinition("sk_skb/stream_parser", P.SkSkb, A.SkSkbStreamParser, AttachableOptional),
            new SectionDefinition("sk_skb/stream_verdict", P.SkSkb, A.SkSkbStreamVerdict, AttachableOptional),
            new SectionDefinition("sk_skb/verdict", P.SkSkb, A.SkSkbVerdict, AttachableOptional),
            new SectionDefinition("sk_skb", P.SkSkb, A.None),
            new SectionDefinition("sk_msg", P.SkMsg, A.SkMsgVerdict, AttachableOptional),
            new SectionDefinition("lirc_mode2", P.LircMode2, A.LircMode2, AttachableOptional),
            new SectionDefinition("flow_dissector", P.FlowDissector, A.FlowDissector, AttachableOptional),
            new SectionDefinition("cgroup_skb/ingress", P.CgroupSkb, A.CgroupInetIngress, AttachableOptional),
            new SectionDefinition("cgroup_skb/egress", P.CgroupSkb, A.CgroupInetEgress, AttachableOptional),
            new SectionDefinition("cgroup/skb", P.CgroupSkb, A.None),
            new SectionDefinition("cgroup/sock_create", P.CgroupSock, A.CgroupInetSockCreate, Attachable),
            new SectionDefinition("cgroup/sock_release", P.CgroupSock, A.CgroupInetSockRelease, Attachable),
            new SectionDefinition("cgroup/sock", P.CgroupSock, A.CgroupInetSockCreate, AttachableOptional),
            new SectionDefinition("cgroup/post_bind4", P.CgroupSock, A.CgroupInet4PostBind, Attachable),
            new SectionDefinition("cgroup/post_bind6", P.CgroupSock, A.CgroupInet6PostBind, Attachable),
            new SectionDefinition("cgroup/bind4", P.CgroupSockAddr, A.CgroupInet4Bind, Attachable),
            new SectionDefinition("cgroup/bind6", P.CgroupSockAddr, A.CgroupInet6Bind, Attachable),
            new SectionDefinition("cgroup/connect4", P.CgroupSockAddr, A.CgroupInet4Connect, Attachable),
            new SectionDefinition("cgroup/connect6", P.CgroupSockAddr, A.CgroupInet6Connect, Attachable),
            new SectionDefinition("cgroup/connect_unix", P.CgroupSockAddr, A.CgroupUnixConnect, Attachable),
            new SectionDefinition("cgroup/sendmsg4", P.CgroupSockAddr, A.CgroupUdp4SendMsg, Attachable),
            new SectionDefinition("cgroup/sendmsg6", P.CgroupSockAddr, A.CgroupUdp6SendMsg, Attachable),
            new SectionDefinition("cgroup/sendmsg_unix", P.CgroupSockAddr, A.CgroupUnixSendMsg, Attachable),
            new SectionDefinition("cgroup/recvmsg4", P.CgroupSockAddr, A.CgroupUdp4RecvMsg, Attachable),
            new SectionDefinition("cgroup/recvmsg6", P.CgroupSockAddr, A.CgroupUdp6RecvMsg, Attachable),
            new SectionDefinition("cgroup/recvmsg_unix", P.CgroupSockAddr, A.CgroupUnixRecvMsg, Attachable),
            new SectionDefinition("cgroup/getpeername4", P.CgroupSockAddr, A.CgroupInet4GetPeerName, Attachable),
            new SectionDefinition("cgroup/getpeername6", P.CgroupSockAddr, A.CgroupInet6GetPeerName, Attachable),
            new SectionDefinition("cgroup/getpeername_unix", P.CgroupSockAddr, A.CgroupUnixGetPeerName, Attachable),
            new SectionDefinition("cgroup/getsockname4", P.CgroupSockAddr, A.CgroupInet4GetSockName, Attachable),
            new SectionDefinition("cgroup/getsockname6", P.CgroupSockAddr, A.CgroupInet6GetSockName, Attachable),
            new SectionDefinition("cgroup/getsockname_unix", P.CgroupSockAddr, A.CgroupUnixGetSockName, Attachable),
            new SectionDefinition("cgroup/sysctl", P.CgroupSysctl, A.CgroupSysctl, Attachable),
            new SectionDefinition("cgroup/getsockopt", P.CgroupSockOpt, A.CgroupGetSockOpt, Attachable),
            new SectionDefinition("cgroup/setsockopt", P.CgroupSockOpt, A.CgroupSetSockOpt, Attachable),
            new SectionDefinition("cgroup/dev", P.CgroupDevice, A.CgroupDevice, AttachableOptional),
            new SectionDefinition("struct_ops+", P.StructOps, A.None, None, K.StructOps),
            new SectionDefinition("struct_ops.s+", P.StructOps, A.None, Sleepable, K.StructOps),
            new SectionDefinition("sk_lookup", P.SkLookup, A.SkLookup, Attachable),
            new SectionDefinition("netfilter", P.Netfilter, A.Netfilter),
        };

        public static IReadOnlyList<SectionDefinition> Definitions => s_definitions;

        /// <summary>The first definition matching the section name, or null (then the section is not a program).</summary>
        /// <summary>
        /// libbpf's <c>SEC("?…")</c>: a program or struct_ops map that Load() skips until asked for
        /// (AutoLoad / AutoCreate), otherwise what the name after '?' says.
        /// </summary>
        public static bool IsOptional(string sectionName) => sectionName.Length > 1 && sectionName[0] == '?';

        /// <summary>The section name without the optional mark: the name <see cref="Find"/> and attach targets read.</summary>
        public static string WithoutOptionalMark(string sectionName) => IsOptional(sectionName) ? sectionName.Substring(1) : sectionName;

        public static SectionDefinition? Find(string sectionName)
        {
            // An array loop: this runs for every section of every object opened.
            var definitions = s_definitions;
            for (var i = 0; i < definitions.Length; i++)
                if (definitions[i].Matches(sectionName)) return definitions[i];
            return null;
        }
    }
}
