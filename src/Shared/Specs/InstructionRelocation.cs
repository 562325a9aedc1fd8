namespace BpfSkeleton.Specs
{
    /// <summary>What an instruction relocation points at; the loader patches each kind differently.</summary>
    internal enum RelocationKind
    {
        /// <summary>LD_IMM64 of a map from <c>.maps</c>: becomes BPF_PSEUDO_MAP_FD.</summary>
        MapReference,
        /// <summary>LD_IMM64 of an address inside a global data section: becomes BPF_PSEUDO_MAP_VALUE.</summary>
        DataReference,
        /// <summary>BPF_CALL to a BPF subprogram (BPF_PSEUDO_CALL).</summary>
        SubprogramCall,
        /// <summary>LD_IMM64 of a subprogram's address, e.g. a bpf_loop callback (BPF_PSEUDO_FUNC).</summary>
        SubprogramAddress,
        /// <summary>LD_IMM64 of an extern variable (<c>__kconfig</c> or <c>__ksym</c>).</summary>
        ExternVariable,
        /// <summary>BPF_CALL to an extern function: a kfunc (BPF_PSEUDO_KFUNC_CALL).</summary>
        ExternFunction,
        /// <summary>
        /// LD_IMM64 of an <c>__arena</c> global: becomes BPF_PSEUDO_MAP_VALUE on the arena map, at the offset
        /// where the loader placed the globals plus the variable's. The target is the arena map's name.
        /// </summary>
        ArenaReference,
    }

    /// <summary>
    /// One relocation of a program's instruction, resolved at open to a named target so the
    /// loader never needs the ELF again.
    /// </summary>
    internal sealed class InstructionRelocation
    {
        public InstructionRelocation(int instructionIndex, RelocationKind kind, string targetName, long targetOffset)
        {
            InstructionIndex = instructionIndex;
            Kind = kind;
            TargetName = targetName;
            TargetOffset = targetOffset;
        }

        /// <summary>Index of the relocated instruction within its program.</summary>
        public int InstructionIndex { get; }

        public RelocationKind Kind { get; }

        /// <summary>
        /// The map name (<see cref="RelocationKind.MapReference"/>, <see cref="RelocationKind.DataReference"/>),
        /// the callee's ELF section name (subprogram kinds) or the extern's name.
        /// </summary>
        public string TargetName { get; }

        /// <summary>
        /// For data references, the byte offset inside the section's map value; for subprogram kinds,
        /// the callee's instruction index inside its section; otherwise 0.
        /// </summary>
        public long TargetOffset { get; }

        public override string ToString() => $"insn {InstructionIndex}: {Kind} {TargetName}+{TargetOffset}";
    }
}
