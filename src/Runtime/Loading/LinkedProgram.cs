using System.Collections.Generic;
using BpfSkeleton.Specs;

namespace BpfSkeleton
{
    /// <summary>
    /// A program with every subprogram it reaches appended and every call and callback address
    /// fixed; relocations, func_info, line_info and CO-RE records rebased onto the combined code.
    /// </summary>
    internal sealed class LinkedProgram
    {
        public LinkedProgram(ProgramSpec entry)
        {
            Entry = entry;
        }

        public ProgramSpec Entry { get; }

        public List<BpfInstruction> Instructions { get; } = new();

        public List<InstructionRelocation> Relocations { get; } = new();

        public List<FuncInfoRecord> FuncInfos { get; } = new();

        public List<LineInfoRecord> LineInfos { get; } = new();

        public List<CoreRelocationRecord> CoreRelocations { get; } = new();

        /// <summary>Where each function was placed: function → first instruction index.</summary>
        public Dictionary<ProgramSpec, int> Placements { get; } = new();

        /// <summary>BTF fds of kernel modules whose kfuncs the program calls (insn->off indexes it; slot 0 is vmlinux).</summary>
        public List<int> FdArray { get; } = new();

        /// <summary>Instructions poisoned by unresolvable CO-RE relocations, with what they were.</summary>
        public Dictionary<int, string> PoisonedRelocations { get; } = new();
    }
}
