using System;
using System.Collections.Generic;
using System.Threading;
using BpfSkeleton.Interop;
using BpfSkeleton.Kernel;

namespace BpfSkeleton.RingBuffer
{
    /// <summary>
    /// Reads one or several BPF_MAP_TYPE_RINGBUF maps, like libbpf's <c>ring_buffer</c>: records are
    /// handed to each ring's handler in place, with no copy and no allocation per record.
    /// <see cref="Poll"/>, <see cref="Consume"/> and <see cref="WaitAsync"/> are for one consumer at a time;
    /// <see cref="Dispose"/> may be called from any thread, also while another thread polls.
    /// </summary>
    public sealed partial class BpfRingBuffer : IDisposable
    {
        private readonly EpollSet _epoll = new();
        private RingBufferRing[] _rings = Array.Empty<RingBufferRing>();
        private readonly object _addLock = new();
        private volatile bool _disposed;
        private RingBufferWaiter? _waiter;

        /// <summary>A reader with no rings yet; add them with <see cref="Add(BpfMap, RingBufferHandler)"/>.</summary>
        public BpfRingBuffer()
        {
        }

        /// <summary>A reader over one ring.</summary>
        public BpfRingBuffer(BpfMap map, RingBufferHandler handler) => Add(map, handler);

        /// <summary>How many rings this reader consumes.</summary>
        public int RingCount => _rings.Length;

        /// <summary>
        /// Adds a ring: its records go to <paramref name="handler"/>. The map may be disposed
        /// afterwards; the reader keeps its own mappings. Returns the ring's index (0, 1, ...).
        /// </summary>
        /// <remarks>
        /// The drain loop and the handler's own method are compiled in tiers like any other code: the
        /// first drains of a process run unoptimized code (usually some milliseconds). Once tiered up,
        /// the loop calls the handler directly behind a guard, and usually inlines it, so a delegate
        /// drains as fast as a struct <see cref="IRingBufferHandler"/>.
        /// </remarks>
        public int Add(BpfMap map, RingBufferHandler handler)
        {
            ArgumentNullException.ThrowIfNull(handler);
            return Add(map, new DelegateRingBufferHandler(handler));
        }

        /// <summary>Adds a ring whose records are viewed in place as <typeparamref name="T"/>.</summary>
        public int Add<T>(BpfMap map, RingBufferHandler<T> handler) where T : unmanaged
        {
            ArgumentNullException.ThrowIfNull(handler);
            return Add(map, new TypedRingBufferHandler<T>(handler));
        }

        /// <summary>
        /// Adds a ring whose records go to <paramref name="handler"/>'s <see cref="IRingBufferHandler.Handle"/>:
        /// the fastest way to read, as the drain loop is compiled for a struct handler and calls it
        /// directly. The reader keeps its own copy of a struct handler (state it changes stays there).
        /// </summary>
        public int Add<THandler>(BpfMap map, THandler handler) where THandler : IRingBufferHandler
        {
            ArgumentNullException.ThrowIfNull(map);
            if (handler is null)
                throw new ArgumentNullException(nameof(handler));
            lock (_addLock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                var ring = new RingBufferRing<THandler>(map, handler);
                try
                {
                    int index = _rings.Length;
                    _epoll.Add(map.Fd, Interop.Libc.EPOLLIN, (ulong)index);
                    // Copy-on-write so a concurrent Dispose always sees a complete array.
                    var rings = new RingBufferRing[index + 1];
                    _rings.CopyTo(rings, 0);
                    rings[index] = ring;
                    _rings = rings;
                    return index;
                }
                catch
                {
                    ring.Dispose();
                    throw;
                }
            }
        }

        /// <summary>
        /// Waits up to <paramref name="timeoutMs"/> milliseconds (-1: forever, 0: not at all) until a
        /// ring has data, then consumes the rings that reported data. Returns the number of records
        /// handed to handlers (0 on timeout, on a signal, or when woken by <see cref="Dispose"/>).
        /// </summary>
        public int Poll(int timeoutMs)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            int ready = _epoll.Wait(timeoutMs);
            var rings = _rings;
            long total = 0;
            for (int i = 0; i < ready; i++)
            {
                total += rings[(int)_epoll.TokenAt(i)].DrainToHandler(out bool stopped);
                if (stopped)
                    break;
            }
            return Saturate(total);
        }

        /// <summary>
        /// Consumes every ring without waiting, in the order they were added. Returns the number of
        /// records handed to handlers; a handler returning non-zero stops at once.
        /// </summary>
        public int Consume()
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            long total = 0;
            foreach (var ring in _rings)
            {
                total += ring.DrainToHandler(out bool stopped);
                if (stopped)
                    break;
            }
            return Saturate(total);
        }

        /// <summary>Consumes only the ring at <paramref name="index"/> (as returned by <see cref="Add"/>).</summary>
        public int ConsumeRing(int index)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return Saturate(_rings[index].DrainToHandler(out _));
        }

        /// <summary>Bytes waiting in the ring at <paramref name="index"/>, committed or not.</summary>
        public long PendingBytes(int index)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _rings[index].PendingBytes;
        }

        /// <summary>
        /// Releases the mappings and descriptors. Safe while another thread polls: a blocked
        /// <see cref="Poll"/> is woken, a running drain finishes before memory is unmapped, and later
        /// calls throw <see cref="ObjectDisposedException"/>.
        /// </summary>
        public void Dispose()
        {
            RingBufferWaiter? waiter;
            lock (_addLock)
            {
                if (_disposed)
                    return;
                _disposed = true;
                waiter = _waiter;
            }
            // Before the epoll set closes: the waiter completes a pending wait with false and exits.
            waiter?.Dispose();
            _epoll.Dispose();
            foreach (var ring in _rings)
                ring.Dispose();
        }

        private bool AnyRingHasData()
        {
            foreach (var ring in _rings)
            {
                if (ring.PendingBytes > 0)
                    return true;
            }
            return false;
        }

        private static int Saturate(long count) => count > int.MaxValue ? int.MaxValue : (int)count;
    }
}
