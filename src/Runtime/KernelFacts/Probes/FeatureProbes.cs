using System;
using System.Threading;
using BpfSkeleton.Btf;
using BpfSkeleton.Handles;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;
using BpfSkeleton.Links;
using BpfSkeleton.Loading;
using BpfSkeleton.Logging;

namespace BpfSkeleton.KernelFacts
{
    /// <summary>
    /// Asks the running kernel what it supports by trying the smallest possible object of each kind.
    /// Each probe runs at most once per process; results are cached.
    /// </summary>
    public static partial class FeatureProbes
    {
        // Each probe's result once known (see Cached).
        private static ProbeBox? s_btfFunc, s_btfFuncGlobal, s_btfDatasec, s_btfFloat, s_btfDeclTag, s_btfTypeTag, s_btfEnum64,
            s_globalData, s_mmapableArray, s_mapName, s_ringbuf, s_probeReadKernel, s_bpfCookie, s_structOpsLink, s_sleepableTracepoints,
            s_progBindMap, s_fdArrayBinding;

        /// <summary>
        /// The result in <paramref name="slot"/>, probing first if there is none yet. Two threads asking
        /// first may both probe; the kernel answers both alike and the first result stays. A slot per
        /// probe, not a dictionary: no hashing per question, and no generic collection over a value type
        /// left for the JIT when the assembly is precompiled (ReadyToRun).
        /// </summary>
        private static ProbeResult Cached(ref ProbeBox? slot, Func<ProbeResult> probe)
            => (Volatile.Read(ref slot) ?? Publish(ref slot, Probe(probe))).Value;

        private static ProbeResult Probe(Func<ProbeResult> probe)
        {
            if (!LoadTrace.Enabled)
                return probe();
            using var trace = LoadTrace.Phase("probe");
            var result = probe();
            LoadTrace.Note(result.Reason);
            return result;
        }

        private static ProbeBox Publish(ref ProbeBox? slot, ProbeResult result)
        {
            LoaderLog.ProbeAnswered(result.Reason);
            var box = new ProbeBox(result);
            return Interlocked.CompareExchange(ref slot, box, null) ?? box;
        }

        /// <summary>A result published as one reference, so no reader sees half of one.</summary>
        private sealed class ProbeBox(ProbeResult value)
        {
            public ProbeResult Value { get; } = value;
        }

        // ---- BTF kinds: each loads a tiny blob that uses the kind.

        /// <summary>BTF_KIND_FUNC and BTF_KIND_FUNC_PROTO (kernel 5.0).</summary>
        public static ProbeResult BtfFunc => Cached(ref s_btfFunc, () => ProbeBtf("BTF func", global: false));

        /// <summary>Global linkage on BTF_KIND_FUNC (kernel 5.6).</summary>
        public static ProbeResult BtfFuncGlobal => Cached(ref s_btfFuncGlobal, () => ProbeBtf("BTF func global linkage", global: true));

        /// <summary>BTF_KIND_VAR and BTF_KIND_DATASEC, needed for global data (kernel 5.2).</summary>
        public static ProbeResult BtfDatasec => Cached(ref s_btfDatasec, () =>
        {
            var b = new BtfBlob();
            uint integer = b.AddInt();
            uint variable = b.Add(b.Name("x"), BtfKind.Var, 0, integer, 1); // global allocated
            b.Add(b.Name(".data"), BtfKind.Datasec, 1, 4, variable, 0, 4);
            return LoadBtf("BTF datasec", b);
        });

        /// <summary>BTF_KIND_FLOAT (kernel 5.13).</summary>
        public static ProbeResult BtfFloat => Cached(ref s_btfFloat, () =>
        {
            var b = new BtfBlob();
            b.Add(b.Name("float"), BtfKind.Float, 0, 4);
            return LoadBtf("BTF float", b);
        });

        /// <summary>BTF_KIND_DECL_TAG (kernel 5.16).</summary>
        public static ProbeResult BtfDeclTag => Cached(ref s_btfDeclTag, () =>
        {
            var b = new BtfBlob();
            uint integer = b.AddInt();
            uint variable = b.Add(b.Name("x"), BtfKind.Var, 0, integer, 1);
            b.Add(b.Name("tag"), BtfKind.DeclTag, 0, variable, uint.MaxValue); // component_idx -1: the var itself
            return LoadBtf("BTF decl_tag", b);
        });

        /// <summary>BTF_KIND_TYPE_TAG (kernel 5.17).</summary>
        public static ProbeResult BtfTypeTag => Cached(ref s_btfTypeTag, () =>
        {
            var b = new BtfBlob();
            uint integer = b.AddInt();
            uint tag = b.Add(b.Name("tag"), BtfKind.TypeTag, 0, integer);
            b.Add(0, BtfKind.Pointer, 0, tag);
            return LoadBtf("BTF type_tag", b);
        });

        /// <summary>BTF_KIND_ENUM64 (kernel 6.0).</summary>
        public static ProbeResult BtfEnum64 => Cached(ref s_btfEnum64, () =>
        {
            var b = new BtfBlob();
            b.Add(b.Name("e"), BtfKind.Enum64, 1, 8, b.Name("v"), 0, 1);
            return LoadBtf("BTF enum64", b);
        });

        // ---- maps and programs

        /// <summary>Global data: an array map value addressed directly from instructions (BPF_PSEUDO_MAP_VALUE).</summary>
        public static ProbeResult GlobalData => Cached(ref s_globalData, () =>
        {
            const string what = "global data";
            using var map = new BpfFileDescriptor();
            if (!TryCreateArray(what, valueSize: 32, map, out var noMap))
                return noMap;
            var (first, second) = Insn.LoadImm64(Insn.R1, Insn.PseudoMapValue, map.DangerousGetFd(), 0);
            ulong[] program = { first, second, Insn.StoreImm64(Insn.R1, 0, 42), Insn.Mov64Imm(Insn.R0, 0), Insn.Exit() };
            return ProbeResult.FromErrno(what, BpfProgramHandle.ProbeLoad(BpfProgramType.SocketFilter, program));
        });

        /// <summary>Arrays created with BPF_F_MMAPABLE (kernel 5.5).</summary>
        public static ProbeResult MmapableArray => Cached(ref s_mmapableArray, () =>
            ProbeMap("BPF_F_MMAPABLE array", new BpfMapCreateOptions { Type = BpfMapType.Array, KeySize = 4, ValueSize = 4, MaxEntries = 1, Flags = BpfMapFlags.Mmapable }));

        /// <summary>Map names in BPF_MAP_CREATE (kernel 4.15).</summary>
        public static ProbeResult MapName => Cached(ref s_mapName, () =>
            ProbeMap("map names", new BpfMapCreateOptions { Type = BpfMapType.Array, KeySize = 4, ValueSize = 4, MaxEntries = 1, Name = "probe_name" }));

        /// <summary>BPF_MAP_TYPE_RINGBUF (kernel 5.8).</summary>
        public static ProbeResult Ringbuf => Cached(ref s_ringbuf, () => MapType(BpfMapType.Ringbuf));

        /// <summary>bpf_probe_read_kernel (helper 113) from a tracepoint program.</summary>
        public static ProbeResult ProbeReadKernel => Cached(ref s_probeReadKernel, () =>
        {
            ulong[] program =
            {
                Insn.Mov64Reg(Insn.R1, Insn.R10), Insn.Add64Imm(Insn.R1, -8), Insn.Mov64Imm(Insn.R2, 8), Insn.Mov64Imm(Insn.R3, 0),
                Insn.Call(113), Insn.Mov64Imm(Insn.R0, 0), Insn.Exit(),
            };
            return ProbeResult.FromErrno("bpf_probe_read_kernel", BpfProgramHandle.ProbeLoad(BpfProgramType.Tracepoint, program));
        });

        /// <summary>BPF cookies: bpf_get_attach_cookie (helper 174) from a tracepoint program.</summary>
        public static ProbeResult BpfCookie => Cached(ref s_bpfCookie, () =>
        {
            ulong[] program = { Insn.Call(174), Insn.Mov64Imm(Insn.R0, 0), Insn.Exit() };
            return ProbeResult.FromErrno("bpf_get_attach_cookie", BpfProgramHandle.ProbeLoad(BpfProgramType.Tracepoint, program));
        });

        /// <summary>BPF_PROG_BIND_MAP (5.10+): a map bound to a program it does not reference (libbpf binds .rodata so).</summary>
        public static ProbeResult ProgBindMap => Cached(ref s_progBindMap, () =>
        {
            const string what = "BPF_PROG_BIND_MAP";
            using var map = new BpfFileDescriptor();
            if (!TryCreateArray(what, valueSize: 4, map, out var noMap))
                return noMap;
            if (!TryLoadReturnZero(what, out var program, out var failure))
                return failure;
            using (program)
            {
                var attr = new ProgBindMapAttr { ProgFd = (uint)program.Fd.DangerousGetFd(), MapFd = (uint)map.DangerousGetFd() };
                return ProbeResult.FromErrno(what, Sys.Bpf(BpfCommand.ProgBindMap, ref attr));
            }
        });

        /// <summary>
        /// fd_array_cnt (6.14+): maps in a program's fd_array bound to it at load, so binding <c>.rodata</c> costs no
        /// BPF_PROG_BIND_MAP per program. A kernel without the field refuses the non-zero tail of the attr (E2BIG).
        /// </summary>
        public static ProbeResult FdArrayBinding => Cached(ref s_fdArrayBinding, () =>
        {
            const string what = "maps bound at load through fd_array_cnt";
            using var map = new BpfFileDescriptor();
            if (!TryCreateArray(what, valueSize: 4, map, out var noMap))
                return noMap;
            var options = new BpfProgramLoadOptions
            {
                Type = BpfProgramType.SocketFilter, Instructions = Insn.ReturnZero, FdArray = new[] { map.DangerousGetFd() }, BindFdArray = true,
            };
            return ProbeResult.FromErrno(what, BpfProgramHandle.ProbeLoad(options, withLog: false, out _));
        });

        /// <summary>Sleepable tracepoint programs (libbpf's <c>tp.s</c>, <c>raw_tp.s</c>, <c>tp_btf.s</c> sections): a kernel without them rejects the flag.</summary>
        public static ProbeResult SleepableTracepoints => Cached(ref s_sleepableTracepoints, () =>
        {
            ulong[] program = { Insn.Mov64Imm(Insn.R0, 0), Insn.Exit() };
            return ProbeResult.FromErrno("sleepable tracepoint programs",
                BpfProgramHandle.ProbeLoad(BpfProgramType.Tracepoint, program, flags: BpfProgramLoadFlags.Sleepable));
        });

        /// <summary>
        /// struct_ops maps attached through BPF links (6.4+). The BPF_STRUCT_OPS attach type was
        /// introduced with that feature, so the kernel's own BTF answers without creating anything.
        /// </summary>
        public static ProbeResult StructOpsLink => Cached(ref s_structOpsLink, () =>
        {
            const string what = "link-based struct_ops";
            if (!System.IO.File.Exists(KernelTypes.VmlinuxPath))
                return ProbeResult.No(what, $"{KernelTypes.VmlinuxPath} is missing");
            return KernelTypes.HasEnumValue("bpf_attach_type", "BPF_STRUCT_OPS")
                ? ProbeResult.Yes(what)
                : ProbeResult.No(what, "the kernel's bpf_attach_type has no BPF_STRUCT_OPS");
        });

        /// <summary>A one-entry array map for a probe to work with; false with the probe's answer when even that is refused.</summary>
        private static bool TryCreateArray(string what, uint valueSize, BpfFileDescriptor map, out ProbeResult failure)
        {
            int created = BpfMap.CreateFd(new BpfMapCreateOptions { Type = BpfMapType.Array, KeySize = 4, ValueSize = valueSize, MaxEntries = 1 }, map);
            failure = created < 0 ? ProbeResult.No(what, -created) : default;
            return created >= 0;
        }

        /// <summary>A "return 0" socket filter for probes that need a program to act on; the failure says it did not load.</summary>
        private static bool TryLoadReturnZero(string what, out BpfProgramHandle program, out ProbeResult failure)
        {
            try
            {
                program = BpfProgramHandle.Load(new BpfProgramLoadOptions { Type = BpfProgramType.SocketFilter, Instructions = Insn.ReturnZero });
                failure = default;
                return true;
            }
            catch (BpfException e)
            {
                program = null!;
                failure = ProbeResult.No(what, $"the probe's own program did not load: {e.Message}");
                return false;
            }
        }

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
