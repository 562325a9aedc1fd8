using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace BpfSkeleton
{
    /// <summary>
    /// The consumer side of one BPF_MAP_TYPE_RINGBUF map: the consumer page mapped read-write and
    /// the producer page plus data area mapped read-only, the data twice in a row so that a record
    /// crossing the end of the ring is contiguous for the reader.
    /// </summary>
    internal abstract unsafe class RingBufferRing : IDisposable
    {
        private readonly BpfMappedRegion _consumerPage;
        private readonly BpfMappedRegion _producerArea;
        private readonly ulong* _consumerPosition;
        private readonly ulong* _producerPosition;
        private readonly byte* _data;
        private readonly ulong _mask;

        private protected RingBufferRing(BpfMap map)
        {
            if (map.Type != BpfMapType.Ringbuf)
                throw new ArgumentException($"{map} is not a BPF_MAP_TYPE_RINGBUF map.", nameof(map));
            int pageSize = Environment.SystemPageSize;
            long dataSize = map.MaxEntries;
            if (dataSize == 0 || (dataSize & (dataSize - 1)) != 0 || dataSize % pageSize != 0)
                throw new ArgumentException($"{map}: the data size {dataSize} is not a power-of-two multiple of the page size.", nameof(map));
            if (pageSize + 2 * dataSize > int.MaxValue)
                throw new NotSupportedException($"{map}: rings larger than {(int.MaxValue - pageSize) / 2} bytes cannot be mapped twice.");

            Map = map;
            DataSize = dataSize;
            _mask = (ulong)dataSize - 1;
            _consumerPage = BpfMappedRegion.Map(map.Fd, pageSize, 0, writable: true, $"consumer page of {map}");
            try
            {
                _producerArea = BpfMappedRegion.Map(map.Fd, pageSize + 2 * (int)dataSize, pageSize, writable: false, $"producer page and data of {map}");
            }
            catch
            {
                _consumerPage.Dispose();
                throw;
            }
            _consumerPosition = (ulong*)_consumerPage.Pointer;
            _producerPosition = (ulong*)_producerArea.Pointer;
            _data = (byte*)_producerArea.Pointer + pageSize;
        }

        internal BpfMap Map { get; }

        internal long DataSize { get; }

        /// <summary>Bytes between the consumer and producer positions (committed or still being written).</summary>
        internal long PendingBytes
        {
            get
            {
                using var lease = Lease();
                return (long)(Volatile.Read(ref *_producerPosition) - Volatile.Read(ref *_consumerPosition));
            }
        }

        /// <summary>Drains into the handler the ring was added with; see <see cref="Drain{THandler}"/>.</summary>
        internal abstract long DrainToHandler(out bool stopped);

        /// <summary>
        /// Hands every committed record to <paramref name="handler"/> in order, skipping discarded
        /// ones, until the ring is empty, a record is still busy, or the handler returns non-zero
        /// (<paramref name="stopped"/>). Returns the number of records handed over.
        /// </summary>
        internal long Drain<THandler>(ref THandler handler, out bool stopped) where THandler : IRingBufferHandler
        {
            // One lease (two SafeHandle ref counts) per batch, not per record.
            using var lease = Lease();
            return DrainMapped(ref handler, out stopped);
        }

        // Compiled once per handler struct, so the handler's Handle is a direct call the JIT can
        // inline. Fully optimized from the first call: a reader may call this only a few times,
        // each draining millions of records, which tiered compilation would leave in unoptimized
        // code. Free of exception handling (the lease is taken by the caller) so that the
        // positions stay in registers.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private long DrainMapped<THandler>(ref THandler handler, out bool stopped) where THandler : IRingBufferHandler
        {
            ulong* consumerPosition = _consumerPosition;
            ulong* producerPosition = _producerPosition;
            byte* data = _data;
            ulong mask = _mask;
            stopped = false;
            long count = 0;
            // Only this consumer writes the consumer position; the acquire pairs with our own
            // earlier release in case another thread consumed before.
            ulong consumer = Volatile.Read(ref *consumerPosition);
            while (true)
            {
                // Acquire: the producer's reservations up to here are visible.
                ulong producer = Volatile.Read(ref *producerPosition);
                if (consumer >= producer)
                    return count;
                while (consumer < producer)
                {
                    byte* header = data + (consumer & mask);
                    // Acquire: pairs with the kernel's release when it commits (clears BUSY), so the
                    // record's bytes are visible once the busy bit reads clear.
                    uint len = Volatile.Read(ref *(uint*)header);
                    if ((len & RingBufferHeader.BusyBit) != 0)
                        return count; // not committed yet; records after it must wait to keep order
                    consumer += RingBufferHeader.Footprint(len);
                    if ((len & RingBufferHeader.DiscardBit) == 0)
                    {
                        // The length has 30 bits and the ring is mapped twice, so the span is always
                        // inside the mapping: no checks needed.
                        var record = MemoryMarshal.CreateReadOnlySpan(ref *(header + RingBufferHeader.Size), (int)(len & RingBufferHeader.LengthMask));
                        int result = handler.Handle(record);
                        count++;
                        if (result != 0)
                        {
                            Volatile.Write(ref *consumerPosition, consumer);
                            stopped = true;
                            return count;
                        }
                    }
                    // Release, after every record like libbpf: the handler's reads finish before the
                    // kernel may reuse the space, producers see free space as soon as possible, and a
                    // producer committing the next record sees that we caught up, so it wakes us.
                    Volatile.Write(ref *consumerPosition, consumer);
                }
            }
        }

        public void Dispose()
        {
            // Unmapping waits for any drain in progress (it holds a lease on both regions).
            _consumerPage.Dispose();
            _producerArea.Dispose();
        }

        private RegionLease Lease() => new(_consumerPage, _producerArea);
    }
}
