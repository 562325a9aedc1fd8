using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using BpfSkeleton.Specs;

namespace BpfSkeleton.Loading
{
    /// <summary>
    /// Appends the subprograms a program calls (or takes the address of) after its own code, as
    /// libbpf does, and rewrites call and callback offsets to the appended copies.
    /// </summary>
    /// <remarks>
    /// Two passes: the first finds every function reached and its call sites, the second copies
    /// code and records into arrays of their final size. Placement order is libbpf's (each callee
    /// goes last when first reached, functions scanned in placement order, calls in instruction
    /// order), so the kernel sees the same code libbpf would give it.
    /// </remarks>
    internal static class ProgramLinker
    {
        /// <summary>
        /// A call (or callback address, <paramref name="IsAddress"/>: ld_imm64 src=BPF_PSEUDO_FUNC) at
        /// instruction <paramref name="At"/> of function <paramref name="Function"/> to function
        /// <paramref name="Callee"/> (both indices in placement order); <paramref name="TargetIndex"/>
        /// is the target's instruction index within its section.
        /// </summary>
        private sealed record CallSite(int Function, int At, int Callee, long TargetIndex, bool IsAddress); // a class: List<CallSite> then shares precompiled code (ReadyToRun)

        public static LinkedProgram Link(BpfObjectSpec spec, ProgramSpec entry)
        {
            var functions = new List<ProgramSpec> { entry };
            var calls = new List<CallSite>();
            for (var f = 0; f < functions.Count; f++)
                FindCalls(spec, entry, functions, f, calls);
            return Build(entry, functions, calls);
        }

        /// <summary>Adds function <paramref name="f"/>'s call sites in instruction order, placing callees not seen yet.</summary>
        private static void FindCalls(BpfObjectSpec spec, ProgramSpec entry, List<ProgramSpec> functions, int f, List<CallSite> calls)
        {
            var function = functions[f];
            var relocated = RelocatedCalls(function);
            var next = 0;
            var instructions = function.Instructions;
            for (var i = 0; i < instructions.Length; i++)
            {
                InstructionRelocation? relocation = null;
                while (next < relocated.Count && relocated[next].InstructionIndex <= i)
                {
                    // The last relocation of an instruction wins, as it would in a map keyed by index.
                    if (relocated[next].InstructionIndex == i) relocation = relocated[next];
                    next++;
                }

                string targetSection;
                long targetIndex;
                if (relocation is not null)
                {
                    targetSection = relocation.TargetName;
                    targetIndex = relocation.TargetOffset;
                }
                else if (instructions[i].IsSubprogramCall)
                {
                    // A call within the same section needs no ELF relocation: imm is already relative.
                    targetSection = function.SectionName;
                    targetIndex = function.SectionInstructionOffset + i + instructions[i].Immediate + 1;
                }
                else
                {
                    continue;
                }

                var callee = FindFunction(spec, targetSection, targetIndex)
                    ?? throw new BpfLoadException(
                        $"{spec.FileName}: program '{entry.Name}': '{function.Name}' instruction {i} calls instruction {targetIndex} of '{targetSection}', where no function is");
                var calleeIndex = functions.IndexOf(callee);
                if (calleeIndex < 0)
                {
                    calleeIndex = functions.Count;
                    functions.Add(callee);
                }
                calls.Add(new CallSite(f, i, calleeIndex, targetIndex, relocation?.Kind == RelocationKind.SubprogramAddress));
            }
        }

        /// <summary>The function's call and callback relocations, sorted by instruction (stable, so later ones stay later).</summary>
        private static List<InstructionRelocation> RelocatedCalls(ProgramSpec function)
        {
            var relocated = new List<InstructionRelocation>();
            foreach (var relocation in function.Relocations)
            {
                if (relocation.Kind is not (RelocationKind.SubprogramCall or RelocationKind.SubprogramAddress)) continue;
                var at = relocated.Count;
                while (at > 0 && relocated[at - 1].InstructionIndex > relocation.InstructionIndex) at--;
                relocated.Insert(at, relocation);
            }
            return relocated;
        }

        private static LinkedProgram Build(ProgramSpec entry, List<ProgramSpec> functions, List<CallSite> calls)
        {
            var starts = new int[functions.Count];
            int instructionCount = 0, relocationCount = 0, funcInfoCount = 0, lineInfoCount = 0, coreCount = 0;
            for (var f = 0; f < functions.Count; f++)
            {
                var function = functions[f];
                starts[f] = instructionCount;
                instructionCount += function.Instructions.Length;
                relocationCount += function.Relocations.Count;
                funcInfoCount += function.FuncInfos.Count;
                lineInfoCount += function.LineInfos.Count;
                coreCount += function.CoreRelocations.Count;
            }

            var code = new ulong[instructionCount];
            var instructions = LinkedProgram.AsInstructions(code);
            var relocations = new PlacedRelocation[relocationCount];
            var funcInfos = new FuncInfoRecord[funcInfoCount];
            var lineInfos = new LineInfoRecord[lineInfoCount];
            var coreRelocations = new CoreRelocationRecord[coreCount];
            int r = 0, fi = 0, li = 0, cr = 0;
            for (var f = 0; f < functions.Count; f++)
            {
                var function = functions[f];
                var start = starts[f];
                // A block copy: Span<BpfInstruction>'s AsSpan, Slice and CopyTo are JIT-compiled under ReadyToRun.
                if (function.Instructions.Length > 0)
                    Unsafe.CopyBlockUnaligned(ref Unsafe.As<ulong, byte>(ref code[start]),
                        ref Unsafe.As<BpfInstruction, byte>(ref function.Instructions[0]), (uint)(function.Instructions.Length * BpfOpcodes.InstructionSize));
                foreach (var relocation in function.Relocations)
                    relocations[r++] = new PlacedRelocation(start + relocation.InstructionIndex, relocation);
                // Indexed, not foreach: a List enumerator of these structs would be JIT-compiled at start under ReadyToRun.
                for (int i = 0; i < function.FuncInfos.Count; i++)
                {
                    var record = function.FuncInfos[i];
                    funcInfos[fi++] = record.WithInstructionIndex(start + record.InstructionIndex);
                }
                for (int i = 0; i < function.LineInfos.Count; i++)
                {
                    var record = function.LineInfos[i];
                    lineInfos[li++] = record.WithInstructionIndex(start + record.InstructionIndex);
                }
                for (int i = 0; i < function.CoreRelocations.Count; i++)
                {
                    var record = function.CoreRelocations[i];
                    coreRelocations[cr++] = record.WithInstructionIndex(start + record.InstructionIndex);
                }
            }

            foreach (var call in calls)
            {
                var callee = functions[call.Callee];
                var target = starts[call.Callee] + (int)(call.TargetIndex - callee.SectionInstructionOffset);
                var at = starts[call.Function] + call.At;
                ref var instruction = ref instructions[at];
                // Both forms hold the target's offset from the next instruction; a callback address
                // is an ld_imm64 with src=BPF_PSEUDO_FUNC.
                if (call.IsAddress) instruction.SourceRegister = BpfOpcodes.PseudoFunc;
                instruction.Immediate = target - (at + 1);
            }
            return new LinkedProgram(entry, code, relocations, funcInfos, lineInfos, coreRelocations);
        }

        private static ProgramSpec? FindFunction(BpfObjectSpec spec, string sectionName, long sectionIndex)
            => FindFunction(spec.Subprograms, sectionName, sectionIndex) ?? FindFunction(spec.Programs, sectionName, sectionIndex);

        private static ProgramSpec? FindFunction(SpecList<ProgramSpec> functions, string sectionName, long sectionIndex)
        {
            foreach (var function in functions)
                if (sectionIndex >= function.SectionInstructionOffset &&
                    sectionIndex < function.SectionInstructionOffset + function.Instructions.Length &&
                    function.SectionName == sectionName)
                    return function;
            return null;
        }
    }
}
