using System;

namespace BpfSkeleton.RingBuffer
{
    /// <summary>
    /// Receives one ring buffer record. The span points into the shared mapping and is valid only
    /// during the call. Return 0 to continue; anything else stops the current batch (the record
    /// counts as consumed), like a libbpf callback returning an error.
    /// </summary>
    public delegate int RingBufferHandler(ReadOnlySpan<byte> record);

    /// <summary>
    /// Receives one record viewed as <typeparamref name="T"/> in place (no copy); valid only during
    /// the call. Return 0 to continue; anything else stops the current batch.
    /// </summary>
    public delegate int RingBufferHandler<T>(ref readonly T record) where T : unmanaged;
}
