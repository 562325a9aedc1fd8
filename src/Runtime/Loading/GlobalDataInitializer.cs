using System;

namespace BpfSkeleton
{
    /// <summary>
    /// Fills a global data map from the section's initial image and freezes read-only sections so
    /// the verifier can treat them as constants. The value is mmapped on first use
    /// (<see cref="BpfGlobalData.Mapping"/>), so C# reads and writes hit the live memory the programs use.
    /// </summary>
    internal static class GlobalDataInitializer
    {
        public static void Initialize(BpfGlobalData data)
        {
            var map = data.Map.Map;
            data.Mappable = (map.RequestedFlags & BpfMapFlags.Mmapable) != 0;
            if (data.Map.Reused) return;

            // The kernel zeroes a new map, so .bss needs a write only if the user set something before load.
            var initial = data.Spec.InitialData;
            if (data.Spec.Kind != Specs.DataSectionKind.Bss || initial.AsSpan().IndexOfAnyExcept((byte)0) >= 0)
            {
                Span<byte> key = stackalloc byte[4];
                map.Update(key, initial);
            }
            if (data.Spec.IsReadOnly) map.Freeze();
        }
    }
}
