using System;
using System.Collections.Generic;
using BpfSkeleton.Kernel;

namespace BpfSkeleton.Loading
{
    /// <summary>
    /// A map as the plan creates it. <see cref="Options"/> holds the definition and never a kernel object: the
    /// BTF, the inner-map template and a module's value type are named here, for the back-end to resolve.
    /// </summary>
    internal sealed class MapCreation
    {
        public MapCreation(BpfMapCreateOptions options, bool withObjectBtf, MapCreation? innerTemplate = null, string? valueTypeModule = null)
        {
            Options = options;
            WithObjectBtf = withObjectBtf;
            InnerTemplate = innerTemplate;
            ValueTypeModule = valueTypeModule;
        }

        public BpfMapCreateOptions Options { get; }

        /// <summary>Created with the object's BTF (btf_fd): for BTF key/value ids, and for struct_ops maps.</summary>
        public bool WithObjectBtf { get; }

        /// <summary>A map-in-map's inner map, created first and passed as inner_map_fd, then closed.</summary>
        public MapCreation? InnerTemplate { get; }

        /// <summary>The module whose BTF holds a struct_ops value type (value_type_btf_obj_fd), null for vmlinux.</summary>
        public string? ValueTypeModule { get; }
    }

    /// <summary>
    /// A program as the plan loads it: <see cref="Options"/> with the final instructions, whose fd fields are
    /// still zero (<see cref="Fixups"/> name what goes there), and the references the attr takes.
    /// </summary>
    internal sealed class ProgramLoad
    {
        public ProgramLoad(BpfProgramLoadOptions options, ulong[] code, IReadOnlyList<FdFixup> fixups, IReadOnlyList<KernelRef> fdArray,
            bool withObjectBtf, string? attachModule, byte[]? coreRelocations = null, KernelTypeName? attachTarget = null,
            IReadOnlyList<KernelSymbolUse>? kernelSymbols = null)
        {
            KernelSymbols = kernelSymbols ?? Array.Empty<KernelSymbolUse>();
            CoreRelocations = coreRelocations;
            AttachTarget = attachTarget;
            Options = options;
            Code = code;
            Fixups = fixups;
            FdArray = fdArray;
            WithObjectBtf = withObjectBtf;
            AttachModule = attachModule;
        }

        public BpfProgramLoadOptions Options { get; }

        /// <summary>The instructions (the same array as <see cref="BpfProgramLoadOptions.Instructions"/>).</summary>
        public ulong[] Code { get; }

        /// <summary>Instruction fields that take an fd: maps in LD_IMM64, module BTF of typed ksyms.</summary>
        public IReadOnlyList<FdFixup> Fixups { get; }

        /// <summary>fd_array: slot 0 is vmlinux (<see cref="KernelRef.None"/>), then module BTF that kfunc calls index.</summary>
        public IReadOnlyList<KernelRef> FdArray { get; }

        /// <summary>Loaded with the object's BTF (prog_btf_fd), for func_info and line_info.</summary>
        public bool WithObjectBtf { get; }

        /// <summary>The module whose BTF holds the attach target (attach_btf_obj_fd), null for vmlinux.</summary>
        public string? AttachModule { get; }

        /// <summary>
        /// CO-RE relocations left to the kernel (<c>struct bpf_core_relo</c> records for core_relos), when the
        /// back-end defers kernel facts; null when the planner relocated the code itself.
        /// </summary>
        public byte[]? CoreRelocations { get; }

        /// <summary>The kernel type whose id attach_btf_id takes, when the back-end defers kernel facts; null otherwise.</summary>
        public KernelTypeName? AttachTarget { get; }

        /// <summary>Kernel symbols the code uses, left for the kernel the back-end loads into (when it defers kernel facts).</summary>
        public IReadOnlyList<KernelSymbolUse> KernelSymbols { get; }
    }

    /// <summary>How an instruction uses a kernel symbol whose resolution is deferred.</summary>
    internal enum KernelSymbolKind : byte
    {
        /// <summary>A kfunc call: imm takes the FUNC's BTF id, off the fd_array index of its module's BTF.</summary>
        KfuncCall,
        /// <summary>A typed ksym's LD_IMM64: BPF_PSEUDO_BTF_ID with the VAR's id and its module's BTF fd.</summary>
        TypedVariable,
        /// <summary>A typeless ksym's LD_IMM64: its kallsyms address.</summary>
        Address,
    }

    /// <summary>
    /// An instruction that uses a kernel symbol by name, resolved where the load runs. Until then it stays as a
    /// missing weak symbol leaves it (a zero address, a call to id 0), so an unresolved weak symbol needs no change.
    /// </summary>
    internal readonly record struct KernelSymbolUse(int InstructionIndex, KernelSymbolKind Kind, string Name, bool IsWeak);

    /// <summary>A type of the running kernel named for a later lookup (bpf_btf_find_by_name_kind): vmlinux first, then modules.</summary>
    internal readonly record struct KernelTypeName(string Name, Btf.BtfKind Kind);
}
