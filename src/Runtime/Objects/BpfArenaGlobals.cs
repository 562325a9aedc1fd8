using System;
using BpfSkeleton.Specs;

namespace BpfSkeleton
{
    /// <summary>
    /// An object's <c>__arena</c> globals (<c>.addr_space.1</c>): their initial values before load, editable;
    /// after load the live variables inside the arena map's memory, where its programs read and write them.
    /// Generated skeletons give them a typed view, as <c>skel-&gt;arena</c> in libbpf's.
    /// </summary>
    public sealed unsafe class BpfArenaGlobals : BpfDataSection
    {
        internal BpfArenaGlobals(BpfObject owner, DataSectionSpec spec)
            : base(owner, spec)
        {
        }

        /// <summary>The arena map that holds them.</summary>
        public BpfObjectMap Map => Object.Map(Object.Spec.ArenaMap!.Name);

        /// <summary>Where Load() put them: bytes from the arena's start (its last pages, as libbpf places them).</summary>
        public long Offset => Object.State == BpfObjectState.Opened
            ? throw new InvalidOperationException($"{Object.Spec.FileName}: the __arena globals are placed by Load()")
            : Object.Loaded?.Plan.ArenaGlobalsOffset ?? 0;

        /// <summary>The globals' bytes: the initial image before load, the arena's memory after.</summary>
        public override ReadOnlySpan<byte> Bytes => GetWritableBytes();

        /// <summary>Writable bytes: the initial image before load, the arena's memory after (arenas are always writable).</summary>
        public override Span<byte> GetWritableBytes()
        {
            if (Object.State == BpfObjectState.Opened) return Spec.WritableImage();
            RequireReadable();
            var arena = Map;
            if (arena.Loaded?.ArenaRegion is not { } region)
                throw new InvalidOperationException(
                    $"{Object.Spec.FileName}: map '{arena.Name}' was reused, not created, so this process has not mapped it; map it with Map.MemoryMap() and find the globals {Offset} bytes in");
            return new Span<byte>((byte*)region.Pointer + Offset, Size);
        }

        /// <summary>"__arena globals (N bytes)" for messages.</summary>
        public override string ToString() => $"__arena globals ({Size} bytes)";
    }
}
