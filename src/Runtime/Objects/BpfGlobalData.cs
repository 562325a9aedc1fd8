using System;
using BpfSkeleton.Kernel;
using BpfSkeleton.Loading;
using BpfSkeleton.Specs;

namespace BpfSkeleton
{
    /// <summary>
    /// A global data section (<c>.bss</c>, <c>.data</c>, <c>.rodata</c>, <c>.data.*</c>, <c>.kconfig</c>).
    /// Before load, reads and writes edit the initial image; after load they hit the mmapped map,
    /// so C# and BPF share the same memory. Read-only sections reject writes after load.
    /// </summary>
    /// <remarks>
    /// The map is mmapped on first use after load, not during it: libbpf must map every section at
    /// load because C code reaches it through raw pointers, but here every access goes through this
    /// class, so an object whose data C# never touches skips an mmap and munmap per section.
    /// </remarks>
    public sealed class BpfGlobalData : BpfDataSection, ILoadGlobalData
    {
        internal BpfGlobalData(BpfObject owner, BpfObjectMap map, DataSectionSpec spec)
            : base(owner, spec)
        {
            Map = map;
        }

        /// <summary>
        /// The object map that holds the section (a single-element array); its <see cref="BpfObjectMap.Map"/> is the kernel map after load.
        /// </summary>
        public BpfObjectMap Map { get; }

        ILoadMap ILoadGlobalData.Map => Map;

        /// <summary>The mmapped value after load (mapped now if this is the first use), or null if it cannot be mapped.</summary>
        internal BpfMappedRegion? Mapping => Object.State is BpfObjectState.Loaded or BpfObjectState.Attached or BpfObjectState.Detached
            ? Map.Loaded?.DataMapping(writable: !Spec.IsReadOnly)
            : null;

        /// <summary>The section's bytes: the initial image before load, the live map after.</summary>
        public override ReadOnlySpan<byte> Bytes
        {
            get
            {
                if (Mapping is { } mapping) return mapping.ReadOnlySpan;
                RequireReadable();
                // Not mappable: what Load() wrote (the kconfig values it resolved), else the initial image.
                return Map.Loaded?.Image ?? Spec.Image;
            }
        }

        /// <summary>
        /// Writable bytes: the initial image before load, the live map after load for writable
        /// sections. Throws after load for read-only sections (they are frozen).
        /// </summary>
        public override Span<byte> GetWritableBytes()
        {
            if (Object.State == BpfObjectState.Opened) return Spec.WritableImage();
            RequireReadable();
            if (Spec.IsReadOnly)
                throw new InvalidOperationException(
                    $"{Object.Spec.FileName}: '{SectionName}' is read-only after Load() (it is frozen); set its values before Load()");
            if (Mapping is null)
                throw new InvalidOperationException(
                    $"{Object.Spec.FileName}: '{SectionName}' is not mapped: it holds no variable user space can see (only static or __hidden ones, as libbpf maps only those), or the kernel lacks mmapable arrays; set its values before Load()");
            return Mapping.Span;
        }

        /// <summary>"global data '.section' (N bytes)" for messages.</summary>
        public override string ToString() => $"global data '{SectionName}' ({Size} bytes)";
    }
}
