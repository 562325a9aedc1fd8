using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BpfSkeleton.RingBuffer
{
    /// <summary>Runs a <see cref="RingBufferHandler{T}"/> on each record viewed in place as <typeparamref name="T"/>.</summary>
    internal readonly struct TypedRingBufferHandler<T>(RingBufferHandler<T> handler) : IRingBufferHandler where T : unmanaged
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Handle(ReadOnlySpan<byte> record)
        {
            if (record.Length < Unsafe.SizeOf<T>())
                ThrowTooShort(record.Length);
            // Records are 8-byte aligned in the ring, so the reference is aligned for any T up to 8.
            return handler(in MemoryMarshal.AsRef<T>(record));
        }

        private static void ThrowTooShort(int length)
            => throw new InvalidDataException(
                $"A ring buffer record of {length} bytes is shorter than {typeof(T).Name} ({Unsafe.SizeOf<T>()} bytes).");
    }
}
