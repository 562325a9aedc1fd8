using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BpfSkeleton
{
    /// <summary>Adapts a <see cref="RingBufferHandler{T}"/> to the span handler the rings call.</summary>
    internal sealed class TypedRingBufferHandler<T> where T : unmanaged
    {
        private readonly RingBufferHandler<T> _handler;

        internal TypedRingBufferHandler(RingBufferHandler<T> handler) => _handler = handler;

        internal int Invoke(ReadOnlySpan<byte> record)
        {
            if (record.Length < Unsafe.SizeOf<T>())
                ThrowTooShort(record.Length);
            // Records are 8-byte aligned in the ring, so the reference is aligned for any T up to 8.
            return _handler(in MemoryMarshal.AsRef<T>(record));
        }

        private static void ThrowTooShort(int length)
            => throw new InvalidDataException(
                $"A ring buffer record of {length} bytes is shorter than {typeof(T).Name} ({Unsafe.SizeOf<T>()} bytes).");
    }
}
