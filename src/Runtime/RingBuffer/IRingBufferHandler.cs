using System;
using BpfSkeleton.Kernel;

namespace BpfSkeleton.RingBuffer
{
    /// <summary>
    /// Receives ring buffer records on the fast path: implemented by a struct and passed to
    /// <see cref="BpfRingBuffer.Add{THandler}(BpfMap, THandler)"/>, the drain loop is compiled for that
    /// struct, so <see cref="Handle"/> is called directly (and usually inlined) instead of through a delegate.
    /// </summary>
    public interface IRingBufferHandler
    {
        /// <summary>
        /// Handles one record. The span points into the shared mapping and is valid only during the call.
        /// Return 0 to continue; anything else stops the current batch (the record counts as consumed).
        /// </summary>
        int Handle(ReadOnlySpan<byte> record);
    }
}
