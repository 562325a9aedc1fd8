using System;
using BpfSkeleton.Specs;

namespace BpfSkeleton.Loading
{
    /// <summary>
    /// Plans a global data map's first value: the section's initial image (or the kconfig values resolved at
    /// load), written unless it is an all-zero <c>.bss</c> (the kernel zeroes new maps), and a freeze for
    /// read-only sections so the verifier can treat them as constants.
    /// </summary>
    internal static class GlobalDataInitializer
    {
        /// <param name="section">The section's spec, read only.</param>
        /// <param name="map">The map's index in the object.</param>
        /// <param name="backend">Performs the writes.</param>
        /// <param name="image">The image to write instead of the spec's (the kconfig values resolved at load), or null.</param>
        public static void Initialize(DataSectionSpec section, int map, ILoadBackend backend, byte[]? image)
        {
            var initial = image ?? section.Image;
            bool write = section.Kind != DataSectionKind.Bss || initial.AsSpan().IndexOfAnyExcept((byte)0) >= 0;
            backend.InitializeData(map, initial, write, section.IsReadOnly);
        }
    }
}
