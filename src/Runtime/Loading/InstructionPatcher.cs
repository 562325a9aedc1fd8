using System;
using BpfSkeleton.Specs;

namespace BpfSkeleton
{
    /// <summary>
    /// Applies map, global data and extern relocations to linked code: LD_IMM64 of a map becomes
    /// BPF_PSEUDO_MAP_FD, of global data BPF_PSEUDO_MAP_VALUE (fd + offset), of a ksym its BTF id or
    /// address; kfunc calls get their kernel BTF id.
    /// </summary>
    internal static class InstructionPatcher
    {
        public static void Apply(BpfObject owner, LoadedState state, LinkedProgram linked, ExternResolver externs)
        {
            var instructions = linked.Instructions;
            foreach (var relocation in linked.Relocations)
            {
                var at = relocation.InstructionIndex;
                switch (relocation.Kind)
                {
                    case RelocationKind.MapReference:
                    {
                        var map = CreatedMap(owner, state, linked, relocation);
                        SetLoad64(instructions, at, BpfOpcodes.PseudoMapFd, map.Map.Fd.DangerousGetFd(), 0);
                        break;
                    }
                    case RelocationKind.DataReference:
                    {
                        var map = CreatedMap(owner, state, linked, relocation);
                        SetLoad64(instructions, at, BpfOpcodes.PseudoMapValue, map.Map.Fd.DangerousGetFd(), (int)relocation.TargetOffset);
                        break;
                    }
                    case RelocationKind.ArenaReference:
                    {
                        var map = CreatedMap(owner, state, linked, relocation);
                        long offset = state.ArenaGlobalsOffset + relocation.TargetOffset;
                        SetLoad64(instructions, at, BpfOpcodes.PseudoMapValue, map.Map.Fd.DangerousGetFd(), checked((int)offset));
                        break;
                    }
                    case RelocationKind.ExternVariable:
                        externs.PatchVariable(instructions, at, relocation.TargetName, linked.Entry.Name);
                        break;
                    case RelocationKind.ExternFunction:
                        externs.PatchCall(instructions, linked.FdArray, at, relocation.TargetName, linked.Entry.Name);
                        break;
                    case RelocationKind.SubprogramCall:
                    case RelocationKind.SubprogramAddress:
                        break; // done by the linker
                }
            }
        }

        internal static void SetLoad64(Span<BpfInstruction> instructions, int at, byte pseudo, int first, int second)
        {
            ref var head = ref instructions[at];
            head.SourceRegister = pseudo;
            head.Immediate = first;
            instructions[at + 1].Immediate = second;
        }

        private static LoadedMap CreatedMap(BpfObject owner, LoadedState state, LinkedProgram linked, in PlacedRelocation relocation)
            => state.Maps[owner.Map(relocation.TargetName).Index] ?? throw new BpfLoadException(
                $"{owner.Spec.FileName}: program '{linked.Entry.Name}' uses map '{relocation.TargetName}', which is not created (autocreate is off); enable it or disable the program's autoload");
    }
}
