using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace BpfSkeleton
{
    public sealed partial class BpfRingBuffer
    {
        /// <summary>
        /// Completes with true once some ring has data (at once if one already has), or false when
        /// the reader is disposed. Records are not consumed: call <see cref="Consume"/> next. The
        /// blocking wait runs on a dedicated thread, never on the caller's or a pool thread.
        /// </summary>
        public ValueTask<bool> WaitAsync(CancellationToken cancellationToken = default)
        {
            if (_disposed)
                return new ValueTask<bool>(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (AnyRingHasData())
                return new ValueTask<bool>(true);
            return new ValueTask<bool>(Task.Factory.StartNew(
                () => WaitBlocking(cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default));
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

        private bool WaitBlocking(CancellationToken cancellationToken)
        {
            using var registration = cancellationToken.Register(static state => ((EpollSet)state!).Wake(), _epoll);
            while (true)
            {
                if (_disposed)
                    return false;
                int ready;
                try
                {
                    ready = _epoll.Wait(-1);
                }
                catch (ObjectDisposedException)
                {
                    return false;
                }
                bool woken = false;
                for (int i = 0; i < ready; i++)
                {
                    if (_epoll.TokenAt(i) != EpollSet.WakeToken)
                        return true;
                    woken = true;
                }
                if (woken)
                {
                    try
                    {
                        _epoll.ClearWake();
                    }
                    catch (ObjectDisposedException)
                    {
                        return false;
                    }
                }
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }
}
