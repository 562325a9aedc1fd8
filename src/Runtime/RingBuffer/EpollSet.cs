using System;
using System.Runtime.InteropServices;
using BpfSkeleton.Interop;

namespace BpfSkeleton
{
    /// <summary>
    /// An epoll instance over a set of descriptors plus an eventfd that wakes a blocked waiter
    /// (on dispose or cancellation). Each registered descriptor carries a caller-chosen token.
    /// Used by one consumer thread at a time; <see cref="Wake"/> may be called from any thread.
    /// </summary>
    internal sealed unsafe class EpollSet : IDisposable
    {
        /// <summary>The token reported when <see cref="Wake"/> was called.</summary>
        internal const ulong WakeToken = ulong.MaxValue;

        private readonly BpfFileDescriptor _epoll = new();
        private readonly BpfFileDescriptor _wake = new();
        private byte[] _events = Array.Empty<byte>();
        private int _capacity;

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
        /// events are ready; 0 on timeout or when a signal interrupted the wait.
        /// </summary>
        internal int Wait(int timeoutMs)
        {
            using var epoll = new FdLease(_epoll);
            // Closing the eventfd would silently drop its registration (and a pending wake with it),
            // so it stays open until this wait returns.
            using var wake = new FdLease(_wake);
            fixed (byte* events = _events)
            {
                int ready = Libc.EpollWait(epoll.Fd, events, _capacity, timeoutMs);
                if (ready >= 0)
                    return ready;
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Errno.EINTR)
                    return 0;
                BpfErrors.Throw("epoll_wait", errno);
                return 0;
            }
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

        /// <summary>Resets the wake signal so the next <see cref="Wait"/> blocks again.</summary>
        internal void ClearWake()
        {
            using var wake = new FdLease(_wake);
            ulong value;
            Libc.Read(wake.Fd, &value, sizeof(ulong)); // EAGAIN when nothing was signalled.
        }

        public void Dispose()
        {
            // Wake first so a blocked waiter returns and drops its lease; the descriptors then close.
            Wake();
            _epoll.Dispose();
            _wake.Dispose();
        }
    }
}
