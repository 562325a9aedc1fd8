using BpfSkeleton.Specs;

namespace BpfSkeleton
{
    /// <summary>
    /// Fills prog arrays and map-in-map slots declared with <c>__array(values, ...)</c> initializers,
    /// after the programs and inner maps they name exist.
    /// </summary>
    internal static class InitialSlots
    {
        public static void Fill(BpfObject owner, LoadedState state)
        {
            foreach (var map in owner.Maps)
            {
                if (state.Maps[map.Index] is not { Reused: false } created || !map.Spec.HasInitialSlots) continue;
                foreach (var slot in map.Spec.InitialSlots)
                {
                    var fd = map.Type == BpfMapType.ProgArray
                        ? ProgramFd(owner, state, map, slot.Value)
                        : MapFd(owner, state, map, slot.Value);
                    created.Map.Update(slot.Key, fd);
                }
            }
        }

        private static int ProgramFd(BpfObject owner, LoadedState state, BpfObjectMap map, string name)
        {
            var program = state.Programs[owner.Program(name).Index]
                ?? throw new BpfLoadException($"{owner.Spec.FileName}: map '{map.Name}' holds program '{name}' in a slot, but that program is not loaded");
            return program.Fd.DangerousGetFd();
        }

        private static int MapFd(BpfObject owner, LoadedState state, BpfObjectMap map, string name)
        {
            var inner = state.Maps[owner.Map(name).Index]
                ?? throw new BpfLoadException($"{owner.Spec.FileName}: map '{map.Name}' holds map '{name}' in a slot, but that map is not created");
            return inner.Map.Fd.DangerousGetFd();
        }
    }
}
