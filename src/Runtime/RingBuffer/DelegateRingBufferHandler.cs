using System;
using System.Runtime.CompilerServices;

namespace BpfSkeleton.RingBuffer
{
    /// <summary>Runs a <see cref="RingBufferHandler"/> delegate from the generic drain loop.</summary>
    internal readonly struct DelegateRingBufferHandler(RingBufferHandler handler) : IRingBufferHandler
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Handle(ReadOnlySpan<byte> record) => handler(record);
    }
}
