using System;
using BpfSkeleton.Specs;

namespace BpfSkeleton.Loading
{
    /// <summary>
    /// Applies map, global data and extern relocations to linked code: LD_IMM64 of a map becomes
    /// BPF_PSEUDO_MAP_FD, of global data BPF_PSEUDO_MAP_VALUE (fd + offset), of a ksym its BTF id or
    /// address; kfunc calls get their kernel BTF id. Where an fd goes, the instruction gets a fixup naming the
    /// map (<see cref="KernelRef"/>): the back-end writes the fd when it loads the program.
    /// </summary>
    internal static class InstructionPatcher
    {
        public static void Apply(ILoadSource owner, LoadPlan plan, ILoadBackend backend, LinkedProgram linked, ExternResolver externs)
        {
            var instructions = linked.Instructions;
            foreach (var relocation in linked.Relocations)
            {
                var at = relocation.InstructionIndex;
                switch (relocation.Kind)
                {
                    case RelocationKind.MapReference:
                        SetMapLoad64(linked, at, BpfOpcodes.PseudoMapFd, CreatedMap(owner, backend, linked, relocation), 0);
                        break;
                    case RelocationKind.DataReference:
                        SetMapLoad64(linked, at, BpfOpcodes.PseudoMapValue, CreatedMap(owner, backend, linked, relocation), (int)relocation.TargetOffset);
                        break;
                    case RelocationKind.ArenaReference:
                        SetMapLoad64(linked, at, BpfOpcodes.PseudoMapValue, CreatedMap(owner, backend, linked, relocation),
                            checked((int)(plan.ArenaGlobalsOffset + relocation.TargetOffset)));
                        break;
                    case RelocationKind.ExternVariable:
                        externs.PatchVariable(linked, at, relocation.TargetName);
                        break;
                    case RelocationKind.ExternFunction:
                        externs.PatchCall(linked, at, relocation.TargetName);
                        break;
                    case RelocationKind.SubprogramCall:
                    case RelocationKind.SubprogramAddress:
                        break; // done by the linker
                }
            }
        }

        /// <summary>LD_IMM64 of a map (its fd, or its value at <paramref name="offset"/>): the fd is the back-end's to write.</summary>
        internal static void SetMapLoad64(LinkedProgram linked, int at, byte pseudo, int map, int offset)
        {
            SetLoad64(linked.Instructions, at, pseudo, 0, offset);
            linked.Fixups.Add(new FdFixup(at, FdField.Immediate, KernelRef.Map(map)));
        }

        internal static void SetLoad64(Span<BpfInstruction> instructions, int at, byte pseudo, int first, int second)
        {
            ref var head = ref instructions[at];
            head.SourceRegister = pseudo;
            head.Immediate = first;
            instructions[at + 1].Immediate = second;
        }

        private static int CreatedMap(ILoadSource owner, ILoadBackend backend, LinkedProgram linked, in PlacedRelocation relocation)
        {
            int index = owner.Map(relocation.TargetName).Index;
            return backend.Exists(KernelRef.Map(index)) ? index : throw new BpfLoadException(
                $"{owner.Spec.FileName}: program '{linked.Entry.Name}' uses map '{relocation.TargetName}', which is not created (autocreate is off); enable it or disable the program's autoload");
        }
    }
}
