#if !BPF_GENERATOR
using System;
using System.Buffers;

namespace BpfSkeleton.Btf
{
    /// <summary>
    /// Bytes outside the managed heap that stay readable for the rest of the process (kernel BTF
    /// mapped read-only), as <see cref="Memory{T}"/>, so <see cref="BtfSpec"/> reads them in place
    /// through their pointer instead of a copy. Nothing is freed: the owner never unmaps them.
    /// </summary>
    internal sealed unsafe class UnmanagedBytes : MemoryManager<byte>
    {
        private readonly byte* _pointer;
        private readonly int _length;

        public UnmanagedBytes(byte* pointer, int length)
        {
            _pointer = pointer;
            _length = length;
        }

        /// <summary>The first byte.</summary>
        public byte* Pointer => _pointer;

        /// <inheritdoc/>
        public override Span<byte> GetSpan() => new(_pointer, _length);

        /// <summary>Nothing to pin: the bytes never move.</summary>
        public override MemoryHandle Pin(int elementIndex = 0)
        {
            if ((uint)elementIndex > (uint)_length)
                throw new ArgumentOutOfRangeException(nameof(elementIndex));
            return new MemoryHandle(_pointer + elementIndex);
        }

        /// <summary>Nothing to unpin.</summary>
        public override void Unpin()
        {
        }

        /// <summary>Nothing to free: the bytes live as long as the process.</summary>
        protected override void Dispose(bool disposing)
        {
        }
    }
}
#endif
