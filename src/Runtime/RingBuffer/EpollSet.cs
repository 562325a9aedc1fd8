using System;
using System.Runtime.InteropServices;
using BpfSkeleton.Handles;
using BpfSkeleton.Interop;

namespace BpfSkeleton.RingBuffer
{
    /// <summary>
    /// An epoll instance over a set of descriptors plus an eventfd that wakes a blocked waiter
    /// (on dispose or cancellation). Each registered descriptor carries a caller-chosen token.
    /// Used by one consumer thread at a time; <see cref="Wake"/> may be called from any thread.
    /// A waiter that wakes with nothing ready re-checks its own stop conditions before waiting again.
    /// </summary>
    internal sealed unsafe class EpollSet : IDisposable
    {
        // The eventfd's token; Wait consumes it and never reports it.
        private const ulong WakeToken = ulong.MaxValue;

        private readonly BpfFileDescriptor _epoll = new();
        private readonly BpfFileDescriptor _wake = new();
        private byte[] _events = Array.Empty<byte>();
        private int _capacity;
        private volatile bool _closing;

        internal EpollSet()
        {
            try
            {
                int epoll = Libc.EpollCreate1(Libc.EPOLL_CLOEXEC);
                if (epoll < 0)
                    BpfErrors.Throw("epoll_create1", Marshal.GetLastPInvokeError());
                _epoll.Adopt(epoll);
                int wake = Libc.EventFd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
                if (wake < 0)
                    BpfErrors.Throw("eventfd", Marshal.GetLastPInvokeError());
                _wake.Adopt(wake);
                Add(_wake, Libc.EPOLLIN, WakeToken);
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        /// <summary>Watches <paramref name="fd"/> for <paramref name="events"/>, reporting <paramref name="token"/>.</summary>
        internal void Add(BpfFileDescriptor fd, uint events, ulong token)
        {
            using var epoll = new FdLease(_epoll);
            using var target = new FdLease(fd);
            byte* slot = stackalloc byte[16];
            EpollEvent.Write(slot, events, token);
            if (Libc.EpollCtl(epoll.Fd, Libc.EPOLL_CTL_ADD, target.Fd, slot) < 0)
                BpfErrors.Throw($"epoll_ctl add fd {target.Fd}", Marshal.GetLastPInvokeError());
            // One slot per registered descriptor: a single wait can report all of them.
            _capacity++;
            _events = GC.AllocateUninitializedArray<byte>(_capacity * EpollEvent.Size, pinned: true);
        }

        /// <summary>
        /// Waits up to <paramref name="timeoutMs"/> (-1: forever, 0: no wait) and returns how many
        /// registered descriptors are ready (see <see cref="TokenAt"/>); 0 on timeout, when a signal
        /// interrupted the wait, or when <see cref="Wake"/> was called. A wake is consumed here.
        /// </summary>
        internal int Wait(int timeoutMs)
        {
            using var epoll = new FdLease(_epoll);
            // Closing the eventfd would silently drop its registration (and a pending wake with it),
            // so it stays open until this wait returns.
            using var wake = new FdLease(_wake);
            int ready;
            fixed (byte* events = _events)
                ready = Libc.EpollWait(epoll.Fd, events, _capacity, timeoutMs);
            if (ready < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Errno.EINTR)
                    return 0;
                BpfErrors.Throw("epoll_wait", errno);
            }
            return RemoveWake(ready, wake.Fd);
        }

        /// <summary>The token of the <paramref name="index"/>th event of the last <see cref="Wait"/>.</summary>
        internal ulong TokenAt(int index)
        {
            fixed (byte* events = _events)
                return EpollEvent.Data(events + index * EpollEvent.Size);
        }

        /// <summary>Makes a current or next <see cref="Wait"/> return; a no-op once disposed.</summary>
        internal void Wake()
        {
            bool added = false;
            try
            {
                _wake.DangerousAddRef(ref added);
                ulong one = 1;
                Libc.Write(_wake.DangerousGetFd(), &one, sizeof(ulong));
            }
            catch (ObjectDisposedException)
            {
            }
            finally
            {
                if (added)
                    _wake.DangerousRelease();
            }
        }

        public void Dispose()
        {
            // Closing before the wake: a Wait that consumes this wake re-arms it, so every later
            // Wait returns at once until the descriptors are gone.
            _closing = true;
            Wake();
            _epoll.Dispose();
            _wake.Dispose();
        }

        /// <summary>Drops the wake event from the results (resetting the eventfd); returns the events left.</summary>
        private int RemoveWake(int ready, int wakeFd)
        {
            for (int i = 0; i < ready; i++)
            {
                if (TokenAt(i) != WakeToken)
                    continue;
                ulong value;
                Libc.Read(wakeFd, &value, sizeof(ulong)); // EAGAIN when another wait already reset it.
                if (_closing)
                    Wake();
                fixed (byte* events = _events)
                {
                    byte* slot = events + i * EpollEvent.Size;
                    Buffer.MemoryCopy(slot + EpollEvent.Size, slot, (ready - i - 1) * EpollEvent.Size, (ready - i - 1) * EpollEvent.Size);
                }
                return ready - 1;
            }
            return ready;
        }
    }
}
