using System;
using BpfSkeleton.Specs;

namespace BpfSkeleton
{
    /// <summary>
    /// Fills a global data map from the section's initial image and freezes read-only sections so
    /// the verifier can treat them as constants. The value is mmapped on first use
    /// (<see cref="LoadedMap.DataMapping"/>), so C# reads and writes hit the live memory the programs use.
    /// </summary>
    internal static class GlobalDataInitializer
    {
        /// <param name="section">The section's spec, read only.</param>
        /// <param name="map">The map this load created or took for it.</param>
        /// <param name="image">The image to write instead of the spec's (the kconfig values resolved at load), or null.</param>
        public static void Initialize(DataSectionSpec section, LoadedMap map, byte[]? image)
        {
            map.Image = image;
            if (map.Reused) return;

            // The kernel zeroes a new map, so .bss needs a write only if the user set something before load.
            var initial = image ?? section.Image;
            if (section.Kind != DataSectionKind.Bss || initial.AsSpan().IndexOfAnyExcept((byte)0) >= 0)
            {
                Span<byte> key = stackalloc byte[4];
                map.Map.Update(key, initial);
            }
            if (section.IsReadOnly) map.Map.Freeze();
        }
    }
}
