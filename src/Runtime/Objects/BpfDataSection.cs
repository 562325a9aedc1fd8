using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BpfSkeleton.Specs;

namespace BpfSkeleton
{
    /// <summary>
    /// Global variables of an object, read and written by offset or name: a global data section
    /// (<see cref="BpfGlobalData"/>) or the <c>__arena</c> globals (<see cref="BpfArenaGlobals"/>). Before load
    /// the initial image; after load the memory the object's programs use.
    /// </summary>
    public abstract class BpfDataSection
    {
        private protected BpfDataSection(BpfObject owner, DataSectionSpec spec)
        {
            Object = owner;
            Spec = spec;
        }

        public BpfObject Object { get; }

        public DataSectionSpec Spec { get; }

        public string SectionName => Spec.SectionName;

        public int Size => Spec.Size;

        /// <summary>The variables' bytes: the initial image before load, the live memory after.</summary>
        public abstract ReadOnlySpan<byte> Bytes { get; }

        /// <summary>Writable bytes: the initial image before load, the live memory after where it is writable.</summary>
        public abstract Span<byte> GetWritableBytes();

        public T Read<T>(int offset) where T : unmanaged
            => MemoryMarshal.Read<T>(Bytes.Slice(offset, Unsafe.SizeOf<T>()));

        public void Write<T>(int offset, T value) where T : unmanaged
            => MemoryMarshal.Write(GetWritableBytes().Slice(offset, Unsafe.SizeOf<T>()), in value);

        /// <summary>A reference to a value, for in-place updates (writable memory, or any section before load).</summary>
        public ref T GetRef<T>(int offset) where T : unmanaged
            => ref MemoryMarshal.AsRef<T>(GetWritableBytes().Slice(offset, Unsafe.SizeOf<T>()));

        /// <summary>A variable's current bytes, by name.</summary>
        public ReadOnlySpan<byte> Variable(string name)
        {
            var variable = Spec.FindVariable(name) ?? throw new ArgumentException($"'{SectionName}' has no variable '{name}'", nameof(name));
            return Bytes.Slice(variable.Offset, variable.Size);
        }

        /// <summary>Throws once the object's kernel objects are gone.</summary>
        private protected void RequireReadable()
        {
            if (Object.State is BpfObjectState.Disposed or BpfObjectState.Failed)
                throw new ObjectDisposedException(SectionName, $"{Object.Spec.FileName}: the object is {Object.State}");
        }
    }
}
