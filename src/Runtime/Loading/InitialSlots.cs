using BpfSkeleton.Specs;

namespace BpfSkeleton.Loading
{
    /// <summary>
    /// Fills prog arrays and map-in-map slots declared with <c>__array(values, ...)</c> initializers,
    /// after the programs and inner maps they name exist.
    /// </summary>
    internal static class InitialSlots
    {
        public static void Fill(ILoadSource owner, ILoadBackend backend)
        {
            var maps = owner.Maps;
            for (int i = 0; i < maps.Count; i++) // indexed: no enumerator per load
            {
                var map = maps[i];
                if (!map.Spec.HasInitialSlots || !backend.Exists(KernelRef.Map(map.Index)) || backend.IsReused(map.Index)) continue;
                foreach (var slot in map.Spec.InitialSlots)
                {
                    var target = map.Type == BpfMapType.ProgArray
                        ? LoadedProgram(owner, backend, map, slot.Value)
                        : CreatedMap(owner, backend, map, slot.Value);
                    backend.WriteSlot(map.Index, slot.Key, target);
                }
            }
        }

        private static KernelRef LoadedProgram(ILoadSource owner, ILoadBackend backend, ILoadMap map, string name)
        {
            var program = KernelRef.Program(owner.Program(name).Index);
            return backend.Exists(program) ? program
                : throw new BpfLoadException($"{owner.Spec.FileName}: map '{map.Name}' holds program '{name}' in a slot, but that program is not loaded");
        }

        private static KernelRef CreatedMap(ILoadSource owner, ILoadBackend backend, ILoadMap map, string name)
        {
            var inner = KernelRef.Map(owner.Map(name).Index);
            return backend.Exists(inner) ? inner
                : throw new BpfLoadException($"{owner.Spec.FileName}: map '{map.Name}' holds map '{name}' in a slot, but that map is not created");
        }
    }
}
