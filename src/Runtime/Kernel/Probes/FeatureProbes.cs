using System;
using BpfSkeleton.Btf;
using System.Collections.Concurrent;
using BpfSkeleton.Interop;

namespace BpfSkeleton
{
    /// <summary>
    /// Asks the running kernel what it supports by trying the smallest possible object of each kind.
    /// Each probe runs at most once per process; results are cached.
    /// </summary>
    public static partial class FeatureProbes
    {
        private static readonly ConcurrentDictionary<string, ProbeResult> s_cache = new();

        private static ProbeResult Cached(string key, Func<ProbeResult> probe) => s_cache.GetOrAdd(key, static (_, run) => run(), probe);

        // ---- BTF kinds: each loads a tiny blob that uses the kind.

        public static ProbeResult BtfFunc => Cached(nameof(BtfFunc), () => ProbeBtf("BTF func", global: false));

        public static ProbeResult BtfFuncGlobal => Cached(nameof(BtfFuncGlobal), () => ProbeBtf("BTF func global linkage", global: true));

        public static ProbeResult BtfDatasec => Cached(nameof(BtfDatasec), () =>
        {
            var b = new BtfBlob();
            uint integer = b.AddInt();
            uint variable = b.Add(b.Name("x"), BtfKind.Var, 0, integer, 1); // global allocated
            b.Add(b.Name(".data"), BtfKind.Datasec, 1, 4, variable, 0, 4);
            return LoadBtf("BTF datasec", b);
        });

        public static ProbeResult BtfFloat => Cached(nameof(BtfFloat), () =>
        {
            var b = new BtfBlob();
            b.Add(b.Name("float"), BtfKind.Float, 0, 4);
            return LoadBtf("BTF float", b);
        });

        public static ProbeResult BtfDeclTag => Cached(nameof(BtfDeclTag), () =>
        {
            var b = new BtfBlob();
            uint integer = b.AddInt();
            uint variable = b.Add(b.Name("x"), BtfKind.Var, 0, integer, 1);
            b.Add(b.Name("tag"), BtfKind.DeclTag, 0, variable, uint.MaxValue); // component_idx -1: the var itself
            return LoadBtf("BTF decl_tag", b);
        });

        public static ProbeResult BtfTypeTag => Cached(nameof(BtfTypeTag), () =>
        {
            var b = new BtfBlob();
            uint integer = b.AddInt();
            uint tag = b.Add(b.Name("tag"), BtfKind.TypeTag, 0, integer);
            b.Add(0, BtfKind.Pointer, 0, tag);
            return LoadBtf("BTF type_tag", b);
        });

        public static ProbeResult BtfEnum64 => Cached(nameof(BtfEnum64), () =>
        {
            var b = new BtfBlob();
            b.Add(b.Name("e"), BtfKind.Enum64, 1, 8, b.Name("v"), 0, 1);
            return LoadBtf("BTF enum64", b);
        });

        // ---- maps and programs

        /// <summary>Global data: an array map value addressed directly from instructions (BPF_PSEUDO_MAP_VALUE).</summary>
        public static ProbeResult GlobalData => Cached(nameof(GlobalData), () =>
        {
            const string what = "global data";
            using var map = new BpfFileDescriptor();
            int created = BpfMap.CreateFd(new BpfMapCreateOptions { Type = BpfMapType.Array, KeySize = 4, ValueSize = 32, MaxEntries = 1 }, map);
            if (created < 0)
                return ProbeResult.No(what, -created);
            var (first, second) = Insn.LoadImm64(Insn.R1, Insn.PseudoMapValue, map.DangerousGetFd(), 0);
            ulong[] program = { first, second, Insn.StoreImm64(Insn.R1, 0, 42), Insn.Mov64Imm(Insn.R0, 0), Insn.Exit() };
            return ProbeResult.FromErrno(what, BpfProgramHandle.ProbeLoad(BpfProgramType.SocketFilter, program));
        });

        public static ProbeResult MmapableArray => Cached(nameof(MmapableArray), () =>
            ProbeMap("BPF_F_MMAPABLE array", new BpfMapCreateOptions { Type = BpfMapType.Array, KeySize = 4, ValueSize = 4, MaxEntries = 1, Flags = BpfMapFlags.Mmapable }));

        public static ProbeResult MapName => Cached(nameof(MapName), () =>
            ProbeMap("map names", new BpfMapCreateOptions { Type = BpfMapType.Array, KeySize = 4, ValueSize = 4, MaxEntries = 1, Name = "probe_name" }));

        public static ProbeResult Ringbuf => Cached(nameof(Ringbuf), () => MapType(BpfMapType.Ringbuf));

        /// <summary>bpf_probe_read_kernel (helper 113) from a tracepoint program.</summary>
        public static ProbeResult ProbeReadKernel => Cached(nameof(ProbeReadKernel), () =>
        {
            ulong[] program =
            {
                Insn.Mov64Reg(Insn.R1, Insn.R10), Insn.Add64Imm(Insn.R1, -8), Insn.Mov64Imm(Insn.R2, 8), Insn.Mov64Imm(Insn.R3, 0),
                Insn.Call(113), Insn.Mov64Imm(Insn.R0, 0), Insn.Exit(),
            };
            return ProbeResult.FromErrno("bpf_probe_read_kernel", BpfProgramHandle.ProbeLoad(BpfProgramType.Tracepoint, program));
        });

        /// <summary>BPF cookies: bpf_get_attach_cookie (helper 174) from a tracepoint program.</summary>
        public static ProbeResult BpfCookie => Cached(nameof(BpfCookie), () =>
        {
            ulong[] program = { Insn.Call(174), Insn.Mov64Imm(Insn.R0, 0), Insn.Exit() };
            return ProbeResult.FromErrno("bpf_get_attach_cookie", BpfProgramHandle.ProbeLoad(BpfProgramType.Tracepoint, program));
        });

        /// <summary>
        /// struct_ops maps attached through BPF links (6.4+). The BPF_STRUCT_OPS attach type was
        /// introduced with that feature, so the kernel's own BTF answers without creating anything.
        /// </summary>
        public static ProbeResult StructOpsLink => Cached(nameof(StructOpsLink), () =>
        {
            const string what = "link-based struct_ops";
            if (!System.IO.File.Exists(KernelTypes.VmlinuxPath))
                return ProbeResult.No(what, $"{KernelTypes.VmlinuxPath} is missing");
            return KernelTypes.HasEnumValue("bpf_attach_type", "BPF_STRUCT_OPS")
                ? ProbeResult.Yes(what)
                : ProbeResult.No(what, "the kernel's bpf_attach_type has no BPF_STRUCT_OPS");
        });

        private static ProbeResult ProbeBtf(string what, bool global)
        {
            var b = new BtfBlob();
            uint integer = b.AddInt();
            uint prototype = b.Add(0, BtfKind.FuncProto, 0, integer);
            b.Add(b.Name("f"), BtfKind.Func, global ? 1 : 0, prototype);
            return LoadBtf(what, b);
        }

        private static ProbeResult LoadBtf(string what, BtfBlob blob)
        {
            using var fd = new BpfFileDescriptor();
            return ProbeResult.FromErrno(what, BtfHandle.LoadFd(blob.ToArray(), fd, null, out _));
        }

        private static ProbeResult ProbeMap(string what, BpfMapCreateOptions options)
        {
            using var fd = new BpfFileDescriptor();
            return ProbeResult.FromErrno(what, BpfMap.CreateFd(options, fd));
        }
    }
}
