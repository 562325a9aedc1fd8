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

        /// <summary>The object the section belongs to.</summary>
        public BpfObject Object { get; }

        /// <summary>The section as parsed: variables, initial image and kind (read only; edit the bytes through this object).</summary>
        public DataSectionSpec Spec { get; }

        /// <summary>The ELF section name, e.g. ".bss", ".data", ".rodata" or ".data.custom".</summary>
        public string SectionName => Spec.SectionName;

        /// <summary>Size of the section in bytes.</summary>
        public int Size => Spec.Size;

        /// <summary>The variables' bytes: the initial image before load, the live memory after.</summary>
        public abstract ReadOnlySpan<byte> Bytes { get; }

        /// <summary>Writable bytes: the initial image before load, the live memory after where it is writable.</summary>
        public abstract Span<byte> GetWritableBytes();

        /// <summary>
        /// Reads a <typeparamref name="T"/> at byte <paramref name="offset"/> of <see cref="Bytes"/> (the initial image before load, the live memory after).
        /// Throws <see cref="ArgumentOutOfRangeException"/> when it does not fit in the section.
        /// </summary>
        public T Read<T>(int offset) where T : unmanaged
            => MemoryMarshal.Read<T>(Bytes.Slice(offset, Unsafe.SizeOf<T>()));

        /// <summary>
        /// Writes <paramref name="value"/> at byte <paramref name="offset"/> of <see cref="GetWritableBytes"/>: the initial image before load,
        /// the live memory after (where it is writable: not .rodata). Throws <see cref="ArgumentOutOfRangeException"/> when it does not fit,
        /// <see cref="InvalidOperationException"/> when the section cannot be written in the object's state.
        /// </summary>
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
