using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BpfSkeleton.Specs;

namespace BpfSkeleton.Loading
{
    /// <summary>
    /// A program with every subprogram it reaches appended and every call and callback address
    /// fixed; relocations, func_info, line_info and CO-RE records rebased onto the combined code.
    /// Sized exactly by the linker: the code array is what BPF_PROG_LOAD receives, without a copy.
    /// </summary>
    internal sealed class LinkedProgram
    {
        private List<KernelRef>? _fdArray;
        private LoaderList<FdFixup>? _fixups;
        private Dictionary<int, string>? _poisonedRelocations;
        private List<KernelSymbolUse>? _kernelSymbols;

        public LinkedProgram(ProgramSpec entry, ulong[] code, PlacedRelocation[] relocations, FuncInfoRecord[] funcInfos,
            LineInfoRecord[] lineInfos, CoreRelocationRecord[] coreRelocations)
        {
            Entry = entry;
            Code = code;
            Relocations = relocations;
            FuncInfos = funcInfos;
            LineInfos = lineInfos;
            CoreRelocations = coreRelocations;
        }

        public ProgramSpec Entry { get; }

        /// <summary>The instructions as the raw 64-bit words the kernel reads.</summary>
        public ulong[] Code { get; }

        public Span<BpfInstruction> Instructions => AsInstructions(Code);

        /// <summary>
        /// <paramref name="code"/> seen as instructions. Not MemoryMarshal.Cast: framework generics over our struct
        /// cannot be held in a ReadyToRun image, and Cast's body is JIT-compiled on a process's first load; this way
        /// only the span's constructor is.
        /// </summary>
        internal static Span<BpfInstruction> AsInstructions(ulong[] code) =>
            code.Length == 0 ? default : MemoryMarshal.CreateSpan(ref Unsafe.As<ulong, BpfInstruction>(ref code[0]), code.Length);

        public PlacedRelocation[] Relocations { get; }

        public FuncInfoRecord[] FuncInfos { get; }

        public LineInfoRecord[] LineInfos { get; }

        public CoreRelocationRecord[] CoreRelocations { get; }

        /// <summary>BTF of kernel modules whose kfuncs the program calls (insn->off indexes it; slot 0 is vmlinux).</summary>
        public List<KernelRef> FdArray => _fdArray ??= new List<KernelRef>();

        /// <summary>Instruction fields that take a kernel object's fd, filled by the back-end at load.</summary>
        public LoaderList<FdFixup> Fixups => _fixups ??= new LoaderList<FdFixup>(Math.Max(4, Relocations.Length));

        /// <summary>The fd_array as planned; empty when no kfunc of a module is called.</summary>
        public IReadOnlyList<KernelRef> PlannedFdArray => (IReadOnlyList<KernelRef>?)_fdArray ?? LoaderList<KernelRef>.Empty;

        /// <summary>The fixups as planned; empty when the program refers to no map and no module BTF.</summary>
        public IReadOnlyList<FdFixup> PlannedFixups => (IReadOnlyList<FdFixup>?)_fixups ?? LoaderList<FdFixup>.Empty;

        /// <summary>Kernel symbols left for the kernel the load runs on (a back-end that defers kernel facts).</summary>
        public List<KernelSymbolUse> KernelSymbols => _kernelSymbols ??= new List<KernelSymbolUse>();

        /// <summary>The deferred kernel symbols as planned; empty when the planner resolved them.</summary>
        public IReadOnlyList<KernelSymbolUse> PlannedKernelSymbols => (IReadOnlyList<KernelSymbolUse>?)_kernelSymbols ?? Array.Empty<KernelSymbolUse>();

        /// <summary>Instructions poisoned by unresolvable CO-RE relocations, with what they were.</summary>
        public Dictionary<int, string> PoisonedRelocations => _poisonedRelocations ??= new Dictionary<int, string>();

        public bool HasPoisonedRelocations => _poisonedRelocations is { Count: > 0 };
    }

    /// <summary>A relocation of one of the linked functions, at its instruction's index in the linked code.</summary>
    internal readonly record struct PlacedRelocation(int InstructionIndex, InstructionRelocation Relocation)
    {
        public RelocationKind Kind => Relocation.Kind;

        public string TargetName => Relocation.TargetName;

        public long TargetOffset => Relocation.TargetOffset;
    }
}
