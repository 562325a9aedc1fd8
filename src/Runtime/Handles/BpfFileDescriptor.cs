using System;
using System.Runtime.InteropServices;
using BpfSkeleton.Interop;

namespace BpfSkeleton.Handles
{
    /// <summary>
    /// Owns one kernel file descriptor (a map, program, link, BTF object or perf event).
    /// Disposing closes it. The descriptor is never 0: a kernel result of 0 is moved above 0 so
    /// that code treating 0 as "no fd" (the kernel among it, for several attr fields) stays correct.
    /// </summary>
    public sealed class BpfFileDescriptor : SafeHandle
    {
        /// <summary>Creates an empty (invalid) descriptor, filled by <see cref="Adopt"/> right after the syscall.</summary>
        internal BpfFileDescriptor() : base(invalidHandleValue: -1, ownsHandle: true)
        {
        }

        /// <summary>Takes ownership of an existing descriptor (for example one received from another process).</summary>
        public BpfFileDescriptor(int fd, bool ownsHandle) : base(invalidHandleValue: -1, ownsHandle)
        {
            if (fd < 0)
                throw new ArgumentOutOfRangeException(nameof(fd), fd, "A file descriptor is never negative.");
            SetHandle(fd);
        }

        /// <summary>True when no descriptor is held (negative handle): never filled, or released.</summary>
        public override bool IsInvalid => handle < 0;

        /// <summary>The raw descriptor. Valid only while this object is alive and not disposed.</summary>
        public int DangerousGetFd() => (int)handle;

        /// <summary>
        /// Gives up ownership: the descriptor stays open and is no longer closed by this object.
        /// Returns the raw descriptor, which the caller now owns.
        /// </summary>
        public int Disown()
        {
            int fd = (int)handle;
            SetHandleAsInvalid();
            GC.SuppressFinalize(this);
            return fd;
        }

        /// <summary>Opens a second descriptor for the same kernel object (close-on-exec).</summary>
        public BpfFileDescriptor Duplicate()
        {
            using var lease = new FdLease(this);
            var copy = new BpfFileDescriptor();
            int fd = Libc.Fcntl(lease.Fd, Libc.F_DUPFD_CLOEXEC, 1);
            if (fd < 0)
                BpfErrors.Throw("duplicate file descriptor", Marshal.GetLastPInvokeError());
            copy.SetHandle(fd);
            return copy;
        }

        /// <summary>
        /// Stores the result of a syscall that created a descriptor. A result of 0 is duplicated to
        /// the lowest free number above 0 and 0 is closed, as cilium/ebpf does.
        /// </summary>
        internal void Adopt(int fd)
        {
            if (fd == 0)
            {
                int moved = Libc.Fcntl(0, Libc.F_DUPFD_CLOEXEC, 1);
                int errno = Marshal.GetLastPInvokeError();
                Libc.Close(0);
                if (moved < 0)
                    BpfErrors.Throw("move file descriptor 0 above 0", errno);
                fd = moved;
            }
            SetHandle(fd);
        }

        /// <summary>Closes the descriptor; true when close() succeeded.</summary>
        protected override bool ReleaseHandle() => Libc.Close((int)handle) == 0;
    }
}
