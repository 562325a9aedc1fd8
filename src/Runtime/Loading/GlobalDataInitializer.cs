namespace BpfSkeleton
{
    /// <summary>
    /// Fills a global data map from the section's initial image, freezes read-only sections so
    /// the verifier can treat them as constants, then mmaps the value so C# reads and writes hit
    /// the live memory the programs use.
    /// </summary>
    internal static class GlobalDataInitializer
    {
        public static void Initialize(BpfGlobalData data)
        {
            var map = data.Map.Map;
            if (data.Map.ReusedPin) { MapIfPossible(data, map); return; }

            // .bss is all zeros already; writing it would only cost a syscall.
            if (data.Spec.Kind != Specs.DataSectionKind.Bss)
            {
                System.Span<byte> key = stackalloc byte[4];
                map.Update(key, data.Spec.InitialData);
            }
            if (data.Spec.IsReadOnly) map.Freeze();
            MapIfPossible(data, map);
        }

        private static void MapIfPossible(BpfGlobalData data, BpfMap map)
        {
            if ((map.RequestedFlags & BpfMapFlags.Mmapable) == 0) return;
            data.Mapping = map.MemoryMap(writable: !data.Spec.IsReadOnly);
        }
    }
}
