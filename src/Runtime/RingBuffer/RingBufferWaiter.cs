using System;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;

namespace BpfSkeleton.RingBuffer
{
    /// <summary>
    /// The one thread behind a reader's <see cref="BpfRingBuffer.WaitAsync"/>. It sleeps until a wait
    /// starts, blocks in epoll_wait on the reader's set, then completes that wait through a reusable
    /// completion source: a wait starts no thread and, in steady state, allocates nothing.
    /// One wait may be outstanding at a time.
    /// </summary>
    internal sealed class RingBufferWaiter : IValueTaskSource<bool>, IDisposable
    {
        /// <summary>The thread's name (the kernel shows its first 15 bytes).</summary>
        internal const string ThreadName = "bpf-ringbuf-wait";

        private readonly EpollSet _epoll;
        private readonly Thread _thread;
        private readonly object _gate = new();
        // Continuations go to the thread pool: user code never runs on (or blocks) this thread.
        private ManualResetValueTaskSourceCore<bool> _completion = new() { RunContinuationsAsynchronously = true };
        private CancellationToken _requestToken; // under _gate
        private bool _requested;                 // under _gate: a wait the thread has not picked up yet
        private volatile bool _stopping;
        private int _outstanding;                // 1 from Start until the wait's result is read

        internal RingBufferWaiter(EpollSet epoll)
        {
            _epoll = epoll;
            _thread = new Thread(Run) { IsBackground = true, Name = ThreadName };
            _thread.Start();
        }

        /// <summary>True from <see cref="Start"/> until the wait's result has been read.</summary>
        internal bool IsWaitOutstanding => Volatile.Read(ref _outstanding) != 0;

        internal static InvalidOperationException ConcurrentWaitError()
            => new("Only one WaitAsync may be outstanding at a time on a BpfRingBuffer.");

        /// <summary>Starts a wait that completes with true when a ring is readable, false once stopped.</summary>
        internal ValueTask<bool> Start(CancellationToken cancellationToken)
        {
            if (Interlocked.Exchange(ref _outstanding, 1) != 0)
                throw ConcurrentWaitError();
            lock (_gate)
            {
                if (_stopping)
                {
                    Volatile.Write(ref _outstanding, 0);
                    return new ValueTask<bool>(false);
                }
                // The previous wait's result was read, so the thread is done with the source.
                _completion.Reset();
                _requestToken = cancellationToken;
                _requested = true;
                Monitor.Pulse(_gate);
                return new ValueTask<bool>(this, _completion.Version);
            }
        }

        /// <summary>Ends the thread: a pending wait completes with false. Returns once the thread has exited.</summary>
        public void Dispose()
        {
            lock (_gate)
            {
                _stopping = true;
                Monitor.Pulse(_gate);
            }
            // After _stopping is set, so the woken thread sees it.
            _epoll.Wake();
            if (Thread.CurrentThread != _thread)
                _thread.Join();
        }

        public ValueTaskSourceStatus GetStatus(short token) => _completion.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
            => _completion.OnCompleted(continuation, state, token, flags);

        public bool GetResult(short token)
        {
            // A premature read throws below but must not free the slot while the thread still waits.
            bool completed = _completion.GetStatus(token) != ValueTaskSourceStatus.Pending;
            try
            {
                return _completion.GetResult(token);
            }
            finally
            {
                if (completed)
                    Volatile.Write(ref _outstanding, 0);
            }
        }

        private void Run()
        {
            while (TakeRequest(out var cancellationToken))
            {
                bool ready;
                try
                {
                    ready = WaitUntilReadable(cancellationToken);
                }
                catch (Exception error)
                {
                    _completion.SetException(error);
                    continue;
                }
                _completion.SetResult(ready);
            }
        }

        /// <summary>Sleeps until a wait starts; false when stopping with none to serve.</summary>
        private bool TakeRequest(out CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                while (!_requested && !_stopping)
                    Monitor.Wait(_gate);
                cancellationToken = _requestToken;
                _requestToken = default;
                bool requested = _requested;
                _requested = false;
                return requested;
            }
        }

        private bool WaitUntilReadable(CancellationToken cancellationToken)
        {
            // Cancellation only wakes the wait; this thread notices and completes it.
            using var registration = cancellationToken.UnsafeRegister(static epoll => ((EpollSet)epoll!).Wake(), _epoll);
            while (true)
            {
                if (_stopping)
                    return false;
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    // 0 means a wake (stop, cancellation, or a stale one) or a signal: re-check above.
                    if (_epoll.Wait(-1) > 0)
                        return true;
                }
                catch (ObjectDisposedException)
                {
                    return false;
                }
            }
        }
    }
}
