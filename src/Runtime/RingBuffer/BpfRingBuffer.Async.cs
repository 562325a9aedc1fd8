using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace BpfSkeleton.RingBuffer
{
    public sealed partial class BpfRingBuffer
    {
        /// <summary>
        /// Completes with true once some ring has data (at once if one already has), or false when
        /// the reader is disposed. Records are not consumed: call <see cref="Consume"/> next.
        /// </summary>
        /// <remarks>
        /// One wait may be outstanding at a time: starting another before the previous one's result
        /// was awaited throws <see cref="InvalidOperationException"/>. Do not <see cref="Poll"/> while
        /// a wait is pending. The blocking wait runs on one dedicated background thread per reader,
        /// started by the first wait that finds no data and ended by <see cref="Dispose"/>; it never
        /// runs on the caller's or a pool thread, and continuations run on the thread pool.
        /// </remarks>
        public ValueTask<bool> WaitAsync(CancellationToken cancellationToken = default)
        {
            if (_disposed)
                return new ValueTask<bool>(false);
            cancellationToken.ThrowIfCancellationRequested();
            var waiter = _waiter;
            // Checked before the fast path too, so a second wait fails whether or not data is there.
            if (waiter is not null && waiter.IsWaitOutstanding)
                throw RingBufferWaiter.ConcurrentWaitError();
            if (AnyRingHasData())
                return new ValueTask<bool>(true);
            waiter ??= StartWaiter();
            return waiter is null ? new ValueTask<bool>(false) : waiter.Start(cancellationToken);
        }

        /// <summary>
        /// Yields a copy of every record from every ring, in order per ring, until the reader is
        /// disposed or <paramref name="cancellationToken"/> fires. The rings' handlers are not called.
        /// Each record is a new array: use <see cref="Poll"/> or <see cref="Consume"/> for zero-copy reading.
        /// </summary>
        public async IAsyncEnumerable<RingBufferRecord> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var batch = new List<RingBufferRecord>();
            var copiers = new List<DelegateRingBufferHandler>();
            while (await WaitAsync(cancellationToken).ConfigureAwait(false))
            {
                var rings = _rings;
                for (int index = copiers.Count; index < rings.Length; index++)
                {
                    int ringIndex = index;
                    copiers.Add(new DelegateRingBufferHandler(record =>
                    {
                        batch.Add(new RingBufferRecord(ringIndex, record.ToArray()));
                        return 0;
                    }));
                }
                batch.Clear();
                try
                {
                    for (int index = 0; index < rings.Length; index++)
                    {
                        var copier = copiers[index];
                        rings[index].Drain(ref copier, out _);
                    }
                }
                catch (ObjectDisposedException)
                {
                    // Disposed mid-batch: hand out what was copied, then stop.
                }
                foreach (var record in batch)
                    yield return record;
                if (_disposed)
                    yield break;
            }
        }

        /// <summary>The reader's waiter, started on first need; null once disposed.</summary>
        private RingBufferWaiter? StartWaiter()
        {
            lock (_addLock)
                return _disposed ? null : _waiter ??= new RingBufferWaiter(_epoll);
        }
    }
}
