namespace BpfSkeleton.RingBuffer
{
    /// <summary>
    /// The 8-byte record header of BPF ring buffers: { u32 len; u32 pg_off; }. The top two bits of
    /// <c>len</c> are flags; records start 8-byte aligned.
    /// </summary>
    internal static class RingBufferHeader
    {
        /// <summary>BPF_RINGBUF_HDR_SZ.</summary>
        internal const int Size = 8;

        /// <summary>BPF_RINGBUF_BUSY_BIT: the producer has reserved but not yet committed the record.</summary>
        internal const uint BusyBit = 1u << 31;

        /// <summary>BPF_RINGBUF_DISCARD_BIT: the record was discarded and must be skipped.</summary>
        internal const uint DiscardBit = 1u << 30;

        internal const uint LengthMask = ~(BusyBit | DiscardBit);

        /// <summary>Bytes a record of header word <paramref name="len"/> occupies: header plus data, rounded up to 8.</summary>
        internal static ulong Footprint(uint len) => ((len & LengthMask) + Size + 7ul) & ~7ul;
    }
}
