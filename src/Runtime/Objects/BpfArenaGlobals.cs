using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BpfSkeleton.Specs;

namespace BpfSkeleton
{
    /// <summary>
    /// An object's <c>__arena</c> globals (<c>.addr_space.1</c>): their initial values before load, editable;
    /// after load the live variables inside the arena map's memory, where its programs read and write them.
    /// The members match <see cref="BpfGlobalData"/>'s, so generated views work over either.
    /// </summary>
    public sealed unsafe class BpfArenaGlobals
    {
        internal BpfArenaGlobals(BpfObject owner, DataSectionSpec spec)
        {
            Object = owner;
            Spec = spec;
        }

        public BpfObject Object { get; }

        public DataSectionSpec Spec { get; }

        public string SectionName => Spec.SectionName;

        public int Size => Spec.Size;

        /// <summary>The arena map that holds them.</summary>
        public BpfObjectMap Map => Object.Map(Object.Spec.ArenaMap!.Name);

        /// <summary>Where Load() put them: bytes from the arena's start (its last pages, as libbpf places them).</summary>
        public long Offset => Object.State == BpfObjectState.Opened
            ? throw new InvalidOperationException($"{Object.Spec.FileName}: the __arena globals are placed by Load()")
            : Object.ArenaGlobalsOffset;

        /// <summary>The globals' bytes: the initial image before load, the arena's memory after.</summary>
        public ReadOnlySpan<byte> Bytes => GetWritableBytes();

        /// <summary>Writable bytes: the initial image before load, the arena's memory after (arenas are always writable).</summary>
        public Span<byte> GetWritableBytes()
        {
            if (Object.State == BpfObjectState.Opened) return Spec.InitialData;
            if (Object.State is BpfObjectState.Disposed or BpfObjectState.Failed)
                throw new ObjectDisposedException(SectionName, $"{Object.Spec.FileName}: the object is {Object.State}");
            var arena = Map;
            if (arena.ArenaRegion is not { } region)
                throw new InvalidOperationException(
                    $"{Object.Spec.FileName}: map '{arena.Name}' was reused, not created, so this process has not mapped it; map it with Map.MemoryMap() and find the globals {Object.ArenaGlobalsOffset} bytes in");
            return new Span<byte>((byte*)region.Pointer + Object.ArenaGlobalsOffset, Size);
        }

        public T Read<T>(int offset) where T : unmanaged
            => MemoryMarshal.Read<T>(Bytes.Slice(offset, Unsafe.SizeOf<T>()));

        public void Write<T>(int offset, T value) where T : unmanaged
            => MemoryMarshal.Write(GetWritableBytes().Slice(offset, Unsafe.SizeOf<T>()), in value);

        /// <summary>A reference to a value, for in-place updates.</summary>
        public ref T GetRef<T>(int offset) where T : unmanaged
            => ref MemoryMarshal.AsRef<T>(GetWritableBytes().Slice(offset, Unsafe.SizeOf<T>()));

        /// <summary>A variable's current bytes, by name.</summary>
        public ReadOnlySpan<byte> Variable(string name)
        {
            var variable = Spec.FindVariable(name) ?? throw new ArgumentException($"'{SectionName}' has no variable '{name}'", nameof(name));
            return Bytes.Slice(variable.Offset, variable.Size);
        }

        public override string ToString() => $"__arena globals ({Size} bytes)";
    }
}
