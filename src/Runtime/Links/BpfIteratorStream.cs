using System;
using System.IO;
using System.Runtime.InteropServices;
using BpfSkeleton.Interop;

namespace BpfSkeleton
{
    /// <summary>The read-only, forward-only output of one iterator run.</summary>
    public sealed unsafe class BpfIteratorStream : Stream
    {
        private readonly BpfFileDescriptor _fd;

        internal BpfIteratorStream(BpfFileDescriptor fd) => _fd = fd;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            using var lease = new FdLease(_fd);
            fixed (byte* pointer = buffer)
            {
                while (true)
                {
                    nint read = Libc.Read(lease.Fd, pointer, (nuint)buffer.Length);
                    if (read >= 0)
                        return (int)read;
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno != Errno.EINTR)
                        BpfErrors.Throw("read iterator", errno, hint: errno == Errno.EAGAIN ? "the iterator program failed or asked to restart" : null);
                }
            }
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _fd.Dispose();
            base.Dispose(disposing);
        }
    }
}
