using BpfSkeleton.Specs;

namespace BpfSkeleton
{
    /// <summary>
    /// Fills prog arrays and map-in-map slots declared with <c>__array(values, ...)</c> initializers,
    /// after the programs and inner maps they name exist.
    /// </summary>
    internal static class InitialSlots
    {
        public static void Fill(BpfObject owner)
        {
            foreach (var map in owner.Maps)
            {
                if (!map.IsCreated || map.Reused || !map.Spec.HasInitialSlots) continue;
                foreach (var slot in map.Spec.InitialSlots)
                {
                    var fd = map.Type == BpfMapType.ProgArray
                        ? ProgramFd(owner, map, slot.Value)
                        : MapFd(owner, map, slot.Value);
                    map.Map.Update(slot.Key, fd);
                }
            }
        }

        private static int ProgramFd(BpfObject owner, BpfObjectMap map, string name)
        {
            var program = owner.Program(name);
            if (!program.IsLoaded)
                throw new BpfLoadException($"{owner.Spec.FileName}: map '{map.Name}' holds program '{name}' in a slot, but that program is not loaded");
            return program.Fd.DangerousGetFd();
        }

        private static int MapFd(BpfObject owner, BpfObjectMap map, string name)
        {
            var inner = owner.Map(name);
            if (!inner.IsCreated)
                throw new BpfLoadException($"{owner.Spec.FileName}: map '{map.Name}' holds map '{name}' in a slot, but that map is not created");
            return inner.Map.Fd.DangerousGetFd();
        }
    }
}
