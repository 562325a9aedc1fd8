using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using BpfSkeleton.Kernel;

namespace BpfSkeleton.RingBuffer
{
    /// <summary>
    /// The consumer side of one BPF_MAP_TYPE_RINGBUF map: the consumer page mapped read-write and
    /// the producer page plus data area mapped read-only, the data twice in a row so that a record
    /// crossing the end of the ring is contiguous for the reader.
    /// </summary>
    internal abstract unsafe class RingBufferRing : IDisposable
    {
        /// <summary>
        /// The most bytes of records a drain consumes before it publishes the consumer position (a
        /// quarter of the ring if that is less): the kernel gets space back while a long backlog drains.
        /// </summary>
        internal const long MaxPublishInterval = 64 * 1024;

        private readonly BpfMappedRegion _consumerPage;
        private readonly BpfMappedRegion _producerArea;
        private readonly ulong* _consumerPosition;
        private readonly ulong* _producerPosition;
        private readonly byte* _data;
        private readonly ulong _mask;
        private readonly ulong _publishInterval;

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
            _publishInterval = (ulong)Math.Min(dataSize / 4, MaxPublishInterval);
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

        /// <summary>Drains into the handler the ring was added with; see <see cref="Drain{THandler}(ref THandler, out bool)"/>.</summary>
        internal abstract long DrainToHandler(out bool stopped);

        /// <summary>
        /// Hands every committed record to <paramref name="handler"/> in order, skipping discarded
        /// ones, until the ring is empty, a record is still busy, or the handler returns non-zero
        /// (<paramref name="stopped"/>). Returns the number of records handed over.
        /// </summary>
        internal long Drain<THandler>(ref THandler handler, out bool stopped) where THandler : IRingBufferHandler
        {
            // One lease (two SafeHandle ref counts) per drain, not per record or batch.
            using var lease = Lease();
            var state = new DrainState(_consumerPosition, _producerPosition, _data, _mask, _publishInterval);
            return Drain(ref handler, ref state, out stopped);
        }

        /// <summary>
        /// <see cref="Drain{THandler}(ref THandler, out bool)"/> over memory laid out as a ring's
        /// mapping (tests use it on ordinary memory); the caller keeps the memory mapped.
        /// </summary>
        internal static long Drain<THandler>(ref THandler handler, ref DrainState state, out bool stopped) where THandler : IRingBufferHandler
        {
            try
            {
                long count = DrainMapped(ref handler, ref state);
                stopped = state.Stopped;
                return count;
            }
            finally
            {
                // Every way out, a handler's exception included, leaves the consumer position at the
                // first record not consumed (a record whose handler threw is delivered again).
                // Release: the handlers' reads finish before the kernel may reuse the space.
                Volatile.Write(ref *state.ConsumerPosition, state.Position);
            }
        }

        // The hot loop, compiled once per handler struct so that Handle is a direct call the JIT can
        // inline; a delegate handler is such a struct too. Compiled in tiers, not optimized up front:
        // once tiered up with a profile, the JIT calls a delegate handler's target directly behind a
        // guard (and usually inlines it), where fully optimized code without a profile makes an
        // indirect call per record. Measured on 1M 16-byte records: a delegate's drain 4.8 -> 3.2 ns
        // per record, the same as a struct handler's, which is unchanged; the first drain of a
        // process is slower until on-stack replacement moves it to optimized code (about 7 against
        // 5.7 ns per record). Static, with the ring's geometry in the caller's DrainState and no
        // exception handling (the caller publishes on the way out), so that what the loop needs
        // across a handler call (the handler, the state, the next record, the batch's end, the
        // count) fits the callee-saved registers.
        //
        // Per record this does less than libbpf's ringbuf_process_ring, which masks the position,
        // reloads its ring fields after each callback and stores consumer_pos after every record:
        //  - records are addressed with a pointer, with no masking and no bounds checks: the data area
        //    is mapped twice in a row, so from the consumer's record on, the bytes up to the producer
        //    position (at most the ring's size) are contiguous;
        //  - the producer position is read once per batch;
        //  - the consumer position is published once per batch, in the shared page; per handed record
        //    only the caller's stack is written (the record, for the exception path). A batch is what
        //    one read of the producer position shows, capped at PublishInterval bytes so that a
        //    producer running alongside a long drain gets space back while it lasts.
        // Batching the consumer position keeps the kernel's wakeups: it wakes the reader only when it
        // commits a record at the consumer position it then reads (bpf_ringbuf_commit, after a full
        // barrier). So before the reader is told "nothing more" (it may block in epoll next), the
        // position is published with a full fence (Interlocked.Exchange: the store is visible before
        // the producer position or a busy header is read again) and checked once more: either we see
        // the new record, or its commit sees our position and wakes the reader.
        private static long DrainMapped<THandler>(ref THandler handler, ref DrainState state) where THandler : IRingBufferHandler
        {
            long count = 0;
            while (true)
            {
                ulong position = state.Position;
                // Acquire: pairs with the kernel's release in reserve, so the headers up to here are written.
                ulong available = Volatile.Read(ref *state.ProducerPosition) - position;
                if (available == 0)
                    return count; // position was published with a fence before this read, or found so
                state.Rebase(position);
                byte* record = state.Record;
                byte* end = record + (available < state.PublishInterval ? available : state.PublishInterval);
                do
                {
                    // Acquire: pairs with the kernel's xchg that clears BUSY on commit, so the record's
                    // bytes are visible once the bit reads clear.
                    uint header = Volatile.Read(ref *(uint*)record);
                    if ((header & RingBufferHeader.BusyBit) != 0)
                    {
                        // Not committed yet, and the records after it wait to keep order. Publish up to
                        // it with a fence and look once more (see above).
                        state.Record = record;
                        Interlocked.Exchange(ref *state.ConsumerPosition, state.Position);
                        if ((Volatile.Read(ref *(uint*)record) & RingBufferHeader.BusyBit) != 0)
                            return count;
                        continue; // committed meanwhile: read its header again
                    }
                    byte* next = record + RingBufferHeader.Footprint(header);
                    if ((header & RingBufferHeader.DiscardBit) == 0)
                    {
                        count++;
                        state.Record = record; // if the handler throws, this record comes again
                        // A committed record fits in the ring, which is mapped twice: the span is
                        // inside the mapping.
                        var span = MemoryMarshal.CreateReadOnlySpan(ref *(record + RingBufferHeader.Size), (int)(header & RingBufferHeader.LengthMask));
                        if (handler.Handle(span) != 0)
                        {
                            state.Record = next; // the record counts as consumed
                            state.Stopped = true;
                            return count;
                        }
                    }
                    record = next;
                }
                while (record < end);

                state.Record = record;
                // Release (the handlers' reads finish before the kernel may reuse the space) and a full
                // fence before the producer position is read again.
                Interlocked.Exchange(ref *state.ConsumerPosition, state.Position);
            }
        }

        public void Dispose()
        {
            // Unmapping waits for any drain in progress (it holds a lease on both regions).
            _consumerPage.Dispose();
            _producerArea.Dispose();
        }

        private RegionLease Lease() => new(_consumerPage, _producerArea);

        /// <summary>
        /// A drain's view of a ring and where it got to, on the caller's stack: the loop reads the
        /// geometry from here instead of the ring object, and the position survives a handler's exception.
        /// </summary>
        internal struct DrainState
        {
            internal readonly ulong* ConsumerPosition;
            internal readonly ulong* ProducerPosition;
            internal readonly ulong PublishInterval;
            private readonly byte* _data;
            private readonly ulong _mask;

            /// <summary>Where position 0 would be in the mapping, for positions from the last <see cref="Rebase"/> on.</summary>
            private byte* _origin;

            /// <summary>The first record not consumed (while a handler runs: that handler's record).</summary>
            internal byte* Record;

            /// <summary>A handler returned non-zero.</summary>
            internal bool Stopped;

            /// <param name="consumerPosition">The consumer page's position (read here, written by the drain).</param>
            /// <param name="producerPosition">The producer page's position.</param>
            /// <param name="data">The data area, mapped twice in a row (2 × (<paramref name="mask"/> + 1) bytes).</param>
            /// <param name="mask">The ring's size (a power of two) minus 1.</param>
            /// <param name="publishInterval">The most bytes consumed between publishes, at most the ring's size.</param>
            internal DrainState(ulong* consumerPosition, ulong* producerPosition, byte* data, ulong mask, ulong publishInterval)
            {
                ConsumerPosition = consumerPosition;
                ProducerPosition = producerPosition;
                PublishInterval = publishInterval;
                _data = data;
                _mask = mask;
                _origin = null;
                Record = null;
                Stopped = false;
                // Only this reader writes the consumer position; the acquire pairs with our own
                // earlier release in case another thread drained before.
                Rebase(Volatile.Read(ref *ConsumerPosition));
            }

            /// <summary>The ring position of <see cref="Record"/>.</summary>
            internal readonly ulong Position => (ulong)(Record - _origin);

            /// <summary>
            /// Points <see cref="Record"/> at <paramref name="position"/>'s record in the first copy of
            /// the data; the positions up to a ring's size further are then contiguous from there.
            /// </summary>
            internal void Rebase(ulong position)
            {
                _origin = _data - (position & ~_mask);
                Record = _origin + position;
            }
        }
    }
}
