using System;

namespace BpfSkeleton.Kernel
{
    /// <summary>Everything BPF_PROG_LOAD accepts. Unset members are left zero, as the kernel expects.</summary>
    public sealed class BpfProgramLoadOptions
    {
        /// <summary>The type of program to load.</summary>
        public BpfProgramType Type { get; set; }

        /// <summary>Attach type the verifier checks the program against (needed by several program types).</summary>
        public BpfAttachType? ExpectedAttachType { get; set; }

        /// <summary>The instructions, one 64-bit <c>struct bpf_insn</c> each (little-endian layout as in the ELF).</summary>
        public ReadOnlyMemory<ulong> Instructions { get; set; }

        /// <summary>The instructions as raw bytes (a multiple of 8); used when <see cref="Instructions"/> is empty.</summary>
        public ReadOnlyMemory<byte> InstructionBytes { get; set; }

        /// <summary>The license string; GPL-only helpers need a GPL-compatible one ("GPL", "Dual BSD/GPL"...).</summary>
        public string License { get; set; } = "GPL";

        /// <summary>Ignored by current kernels; kept for old kprobe programs.</summary>
        public uint KernelVersion { get; set; }

        /// <summary>BPF_PROG_LOAD prog_flags.</summary>
        public BpfProgramLoadFlags Flags { get; set; }

        /// <summary>Name shown by bpftool; sanitized to [A-Za-z0-9_.] and cut at 15 bytes.</summary>
        public string? Name { get; set; }

        /// <summary>Device to offload to / bind to (0 = none).</summary>
        public uint IfIndex { get; set; }

        /// <summary>BTF type id of the attach target (tp_btf, fentry, lsm, struct_ops, iter...).</summary>
        public uint AttachBtfId { get; set; }

        /// <summary>Module BTF containing <see cref="AttachBtfId"/>; null for vmlinux.</summary>
        public BtfHandle? AttachBtfObject { get; set; }

        /// <summary>Program to attach to (freplace, or fentry on a BPF program). Exclusive with <see cref="AttachBtfObject"/>.</summary>
        public BpfProgramHandle? AttachProgram { get; set; }

        /// <summary>The object's BTF, needed for func_info/line_info and global functions.</summary>
        public BtfHandle? ProgramBtf { get; set; }

        /// <summary>Raw <c>bpf_func_info</c> records.</summary>
        public ReadOnlyMemory<byte> FuncInfo { get; set; }

        /// <summary>Size in bytes of one record in <see cref="FuncInfo"/> (8 for <c>struct bpf_func_info</c>).</summary>
        public uint FuncInfoRecordSize { get; set; }

        /// <summary>Raw <c>bpf_line_info</c> records.</summary>
        public ReadOnlyMemory<byte> LineInfo { get; set; }

        /// <summary>Size in bytes of one record in <see cref="LineInfo"/> (16 for <c>struct bpf_line_info</c>).</summary>
        public uint LineInfoRecordSize { get; set; }

        /// <summary>Descriptors referenced by index from instructions (BPF_PSEUDO_MAP_IDX, kfunc BTF fds).</summary>
        public ReadOnlyMemory<int> FdArray { get; set; }

        /// <summary>
        /// Sends fd_array_cnt (Linux 6.14+, <see cref="KernelFacts.FeatureProbes.FdArrayBinding"/>): the kernel then takes
        /// every map in <see cref="FdArray"/> among the program's maps, referenced or not (bound for the program's
        /// life, as BPF_PROG_BIND_MAP binds one), and refuses the load unless every entry is a map or a BTF object.
        /// </summary>
        public bool BindFdArray { get; set; }

        /// <summary>
        /// Verifier log level for a successful load (0: no log unless the load fails, then
        /// <see cref="FailureLogLevel"/> is used to explain the failure). With a level above 0 the log
        /// is kept in <see cref="BpfProgramHandle.VerifierLog"/>.
        /// </summary>
        public uint LogLevel { get; set; }

        /// <summary>The level of the log a failed load without one is repeated with: 1 (default) or 2 (every instruction's state).</summary>
        public uint FailureLogLevel { get; set; } = 1;

        /// <summary>A PKCS#7 signature of the instructions (<c>signature</c>, Linux 6.18): a light skeleton's signed loader.</summary>
        internal ReadOnlyMemory<byte> Signature { get; set; }

        /// <summary>The keyring <see cref="Signature"/> is verified against (<c>keyring_id</c>).</summary>
        internal int KeyringId { get; set; }
    }
}
