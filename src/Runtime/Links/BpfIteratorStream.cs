using System;
using System.IO;
using System.Runtime.InteropServices;
using BpfSkeleton.Handles;
using BpfSkeleton.Interop;

namespace BpfSkeleton.Links
{
    /// <summary>The read-only, forward-only output of one iterator run.</summary>
    public sealed unsafe class BpfIteratorStream : Stream
    {
        private readonly BpfFileDescriptor _fd;

        internal BpfIteratorStream(BpfFileDescriptor fd) => _fd = fd;

        /// <summary>True: the iterator's output can be read.</summary>
        public override bool CanRead => true;
        /// <summary>False: the output is produced once, in order.</summary>
        public override bool CanSeek => false;
        /// <summary>False: the stream is read-only.</summary>
        public override bool CanWrite => false;
        /// <summary>Not supported: the length is known only when the iterator has finished. Throws <see cref="NotSupportedException"/>.</summary>
        public override long Length => throw new NotSupportedException();
        /// <summary>Not supported; throws <see cref="NotSupportedException"/>.</summary>
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        /// <summary>
        /// Reads the iterator's next output into <paramref name="buffer"/> at <paramref name="offset"/>; as <see cref="Read(Span{byte})"/>.
        /// </summary>
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        /// <summary>
        /// Reads the iterator's next output (each read() runs the program over the next objects); 0 at the end.
        /// Throws <see cref="BpfException"/> when the read fails (EAGAIN: the program failed or asked to restart).
        /// </summary>
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

        /// <summary>Does nothing: the stream is read-only.</summary>
        public override void Flush()
        {
        }

        /// <summary>Not supported; throws <see cref="NotSupportedException"/>.</summary>
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        /// <summary>Not supported; throws <see cref="NotSupportedException"/>.</summary>
        public override void SetLength(long value) => throw new NotSupportedException();
        /// <summary>Not supported; throws <see cref="NotSupportedException"/>.</summary>
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        /// <summary>Closes the iterator's descriptor.</summary>
        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _fd.Dispose();
            base.Dispose(disposing);
        }
    }
}
