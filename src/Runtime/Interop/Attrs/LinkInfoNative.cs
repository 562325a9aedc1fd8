using System.Runtime.InteropServices;

namespace BpfSkeleton.Interop
{
    /// <summary>
    /// <c>struct bpf_link_info</c> (64 bytes). The per-type union starts at offset 16; only the
    /// members the runtime reads are named.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 64)]
    internal struct LinkInfoNative
    {
        [FieldOffset(0)] public uint Type;
        [FieldOffset(4)] public uint Id;
        [FieldOffset(8)] public uint ProgId;

        /// <summary>raw_tracepoint.tp_name (in/out buffer pointer).</summary>
        [FieldOffset(16)] public ulong RawTracepointName;
        [FieldOffset(24)] public uint RawTracepointNameLength;

        /// <summary>tracing.attach_type.</summary>
        [FieldOffset(16)] public uint TracingAttachType;
        [FieldOffset(20)] public uint TracingTargetObjId;
        [FieldOffset(24)] public uint TracingTargetBtfId;

        [FieldOffset(16)] public ulong CgroupId;
        [FieldOffset(24)] public uint CgroupAttachType;

        /// <summary>iter.target_name (in/out buffer pointer).</summary>
        [FieldOffset(16)] public ulong IterTargetName;
        [FieldOffset(24)] public uint IterTargetNameLength;
        [FieldOffset(28)] public uint IterMapId;

        /// <summary>xdp.ifindex, tcx.ifindex, netkit.ifindex.</summary>
        [FieldOffset(16)] public uint IfIndex;
        /// <summary>tcx.attach_type, netkit.attach_type.</summary>
        [FieldOffset(20)] public uint NetAttachType;

        /// <summary>struct_ops.map_id.</summary>
        [FieldOffset(16)] public uint StructOpsMapId;

        /// <summary>perf_event.type (enum bpf_perf_event_type).</summary>
        [FieldOffset(16)] public uint PerfEventType;
        /// <summary>perf_event.tracepoint.tp_name (in/out buffer pointer).</summary>
        [FieldOffset(24)] public ulong PerfEventTracepointName;
        [FieldOffset(32)] public uint PerfEventTracepointNameLength;
        [FieldOffset(40)] public ulong PerfEventTracepointCookie;
    }
}
