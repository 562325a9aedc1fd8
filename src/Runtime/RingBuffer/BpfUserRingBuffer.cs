using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;

namespace BpfSkeleton.RingBuffer
{
    /// <summary>
    /// The producer side of a BPF_MAP_TYPE_USER_RINGBUF map: C# reserves records, fills them in
    /// place and submits (or discards) them; BPF programs drain them with bpf_user_ringbuf_drain().
    /// Reservations are thread-safe; records reach the kernel in reservation order, and a record
    /// still reserved holds back the ones after it.
    /// </summary>
    public sealed unsafe class BpfUserRingBuffer : IDisposable
    {
        private readonly BpfMappedRegion _consumerPage;
        private readonly BpfMappedRegion _producerArea;
        private readonly ulong* _consumerPosition;
        private readonly ulong* _producerPosition;
        private readonly byte* _data;
        private readonly ulong _mask;
        private readonly EpollSet _epoll;
        private readonly object _reserveLock = new();

        /// <summary>
        /// Maps the producer side of <paramref name="map"/> into this process.
        /// Throws <see cref="ArgumentException"/> when <paramref name="map"/> is not a BPF_MAP_TYPE_USER_RINGBUF map,
        /// <see cref="BpfException"/> when the kernel refuses the mapping.
        /// </summary>
        public BpfUserRingBuffer(BpfMap map)
        {
            ArgumentNullException.ThrowIfNull(map);
            if (map.Type != BpfMapType.UserRingbuf)
                throw new ArgumentException($"{map} is not a BPF_MAP_TYPE_USER_RINGBUF map.", nameof(map));
            int pageSize = Environment.SystemPageSize;
            long dataSize = map.MaxEntries;
            if (pageSize + 2 * dataSize > int.MaxValue)
                throw new NotSupportedException($"{map}: rings larger than {(int.MaxValue - pageSize) / 2} bytes cannot be mapped twice.");
            DataSize = dataSize;
            _mask = (ulong)dataSize - 1;
            // The kernel is the consumer here: the consumer page is read-only to us, the producer
            // page and data (mapped twice so records never wrap) are ours to write.
            _consumerPage = BpfMappedRegion.Map(map.Fd, pageSize, 0, writable: false, $"consumer page of {map}");
            try
            {
                _producerArea = BpfMappedRegion.Map(map.Fd, pageSize + 2 * (int)dataSize, pageSize, writable: true, $"producer page and data of {map}");
                _epoll = new EpollSet();
                _epoll.Add(map.Fd, Libc.EPOLLOUT, 0);
            }
            catch
            {
                _consumerPage.Dispose();
                _producerArea?.Dispose();
                throw;
            }
            _consumerPosition = (ulong*)_consumerPage.Pointer;
            _producerPosition = (ulong*)_producerArea.Pointer;
            _data = (byte*)_producerArea.Pointer + pageSize;
        }

        /// <summary>Size of the data area in bytes.</summary>
        public long DataSize { get; }

        /// <summary>Bytes free for new records right now.</summary>
        public long FreeBytes
        {
            get
            {
                using var lease = new RegionLease(_consumerPage, _producerArea);
                return DataSize - (long)(Volatile.Read(ref *_producerPosition) - Volatile.Read(ref *_consumerPosition));
            }
        }

        /// <summary>
        /// Reserves <paramref name="size"/> bytes. Returns false when the ring has no room now;
        /// throws when a record of that size can never fit. The reservation must be submitted or
        /// discarded; until then it keeps the mapping alive and holds back later records.
        /// </summary>
        public bool TryReserve(int size, out UserRingBufferReservation reservation)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(size);
            ulong footprint = RingBufferHeader.Footprint((uint)size);
            if ((uint)size > RingBufferHeader.LengthMask || footprint > (ulong)DataSize)
                throw new ArgumentOutOfRangeException(nameof(size), size, $"A record must fit in the {DataSize}-byte ring with its {RingBufferHeader.Size}-byte header.");

            var lease = new RegionLease(_consumerPage, _producerArea);
            lock (_reserveLock)
            {
                // Acquire: pairs with the kernel's release after it drained records, so their space is free.
                ulong consumer = Volatile.Read(ref *_consumerPosition);
                ulong producer = Volatile.Read(ref *_producerPosition);
                if ((ulong)DataSize - (producer - consumer) < footprint)
                {
                    lease.Dispose();
                    reservation = default;
                    return false;
                }
                byte* header = _data + (producer & _mask);
                *(uint*)header = (uint)size | RingBufferHeader.BusyBit;
                *(uint*)(header + 4) = 0;
                // Release: the busy header is written before the kernel can see the new producer position.
                Volatile.Write(ref *_producerPosition, producer + footprint);
                reservation = new UserRingBufferReservation(lease, header, size);
                return true;
            }
        }

        /// <summary>
        /// Reserves <paramref name="size"/> bytes, waiting up to <paramref name="timeoutMs"/> (-1: forever)
        /// for BPF programs to drain enough space. Throws <see cref="TimeoutException"/> if they do not.
        /// </summary>
        public UserRingBufferReservation Reserve(int size, int timeoutMs)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(timeoutMs, -1);
            long start = Stopwatch.GetTimestamp();
            while (true)
            {
                if (TryReserve(size, out var reservation))
                    return reservation;
                int remaining = timeoutMs;
                if (timeoutMs >= 0)
                {
                    remaining = timeoutMs - (int)Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    if (remaining <= 0)
                        throw new TimeoutException($"No room for a {size}-byte record in the user ring buffer within {timeoutMs} ms.");
                }
                // The kernel signals EPOLLOUT after a drain freed space.
                _epoll.Wait(remaining);
            }
        }

        /// <summary>Copies <paramref name="record"/> into the ring and submits it; false when there is no room.</summary>
        public bool TryWrite(ReadOnlySpan<byte> record)
        {
            if (!TryReserve(record.Length, out var reservation))
                return false;
            record.CopyTo(reservation.Data);
            reservation.Submit();
            return true;
        }

        /// <summary>Writes <paramref name="value"/> as one record; false when there is no room.</summary>
        public bool TryWrite<T>(in T value) where T : unmanaged
            => TryWrite(MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)));

        /// <summary>Unmaps the ring; outstanding reservations keep the memory until they are committed.</summary>
        public void Dispose()
        {
            _epoll.Dispose();
            _consumerPage.Dispose();
            _producerArea.Dispose();
        }
    }
}
