using System.Collections.Generic;
using BpfSkeleton.Specs;

namespace BpfSkeleton
{
    /// <summary>
    /// Appends the subprograms a program calls (or takes the address of) after its own code, as
    /// libbpf does, and rewrites call and callback offsets to the appended copies.
    /// </summary>
    internal static class ProgramLinker
    {
        public static LinkedProgram Link(BpfObjectSpec spec, ProgramSpec entry)
        {
            var linked = new LinkedProgram(entry);
            var pending = new Queue<ProgramSpec>();
            Append(linked, entry, pending);
            while (pending.Count > 0)
            {
                var function = pending.Dequeue();
                FixCalls(spec, linked, function, pending);
            }
            return linked;
        }

        private static void Append(LinkedProgram linked, ProgramSpec function, Queue<ProgramSpec> pending)
        {
            var start = linked.Instructions.Count;
            linked.Placements[function] = start;
            linked.Instructions.AddRange(function.Instructions);
            foreach (var relocation in function.Relocations)
                linked.Relocations.Add(new InstructionRelocation(start + relocation.InstructionIndex, relocation.Kind,
                    relocation.TargetName, relocation.TargetOffset));
            foreach (var record in function.FuncInfos)
                linked.FuncInfos.Add(record.WithInstructionIndex(start + record.InstructionIndex));
            foreach (var record in function.LineInfos)
                linked.LineInfos.Add(record.WithInstructionIndex(start + record.InstructionIndex));
            foreach (var record in function.CoreRelocations)
                linked.CoreRelocations.Add(record.WithInstructionIndex(start + record.InstructionIndex));
            pending.Enqueue(function);
        }

        private static void FixCalls(BpfObjectSpec spec, LinkedProgram linked, ProgramSpec function, Queue<ProgramSpec> pending)
        {
            var start = linked.Placements[function];
            var relocated = new Dictionary<int, InstructionRelocation>();
            foreach (var relocation in function.Relocations)
                if (relocation.Kind is RelocationKind.SubprogramCall or RelocationKind.SubprogramAddress)
                    relocated[relocation.InstructionIndex] = relocation;

            for (var i = 0; i < function.Instructions.Length; i++)
            {
                var instruction = function.Instructions[i];
                string targetSection;
                long targetIndex;
                if (relocated.TryGetValue(i, out var relocation))
                {
                    targetSection = relocation.TargetName;
                    targetIndex = relocation.TargetOffset;
                }
                else if (instruction.IsSubprogramCall)
                {
                    // A call within the same section needs no ELF relocation: imm is already relative.
                    targetSection = function.SectionName;
                    targetIndex = function.SectionInstructionOffset + i + instruction.Immediate + 1;
                }
                else
                {
                    continue;
                }

                var callee = FindFunction(spec, targetSection, targetIndex)
                    ?? throw new BpfLoadException(
                        $"{spec.FileName}: program '{linked.Entry.Name}': '{function.Name}' instruction {i} calls instruction {targetIndex} of '{targetSection}', where no function is");
                if (!linked.Placements.ContainsKey(callee))
                    Append(linked, callee, pending);
                var target = linked.Placements[callee] + (int)(targetIndex - callee.SectionInstructionOffset);
                var at = start + i;
                var patched = linked.Instructions[at];
                if (relocation is not null && relocation.Kind == RelocationKind.SubprogramAddress)
                {
                    // ld_imm64 src=BPF_PSEUDO_FUNC: imm holds the callee's offset from the next instruction.
                    patched.SourceRegister = BpfOpcodes.PseudoFunc;
                    patched.Immediate = target - (at + 1);
                }
                else
                {
                    patched.Immediate = target - (at + 1);
                }
                linked.Instructions[at] = patched;
            }
        }

        private static ProgramSpec? FindFunction(BpfObjectSpec spec, string sectionName, long sectionIndex)
        {
            foreach (var list in new[] { spec.Subprograms, spec.Programs })
                foreach (var function in list)
                    if (function.SectionName == sectionName && sectionIndex >= function.SectionInstructionOffset &&
                        sectionIndex < function.SectionInstructionOffset + function.Instructions.Length)
                        return function;
            return null;
        }
    }
}
