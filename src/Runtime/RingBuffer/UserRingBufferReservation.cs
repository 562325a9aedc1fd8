using System;
using System.Threading;

namespace BpfSkeleton.RingBuffer
{
    /// <summary>
    /// A record reserved in a <see cref="BpfUserRingBuffer"/>: fill <see cref="Data"/>, then call
    /// <see cref="Submit"/> or <see cref="Discard"/> exactly once.
    /// </summary>
    public unsafe ref struct UserRingBufferReservation
    {
        private RegionLease _lease;
        private readonly byte* _header;
        private readonly int _length;

        internal UserRingBufferReservation(RegionLease lease, byte* header, int length)
        {
            _lease = lease;
            _header = header;
            _length = length;
        }

        /// <summary>The record's bytes, writable until it is committed.</summary>
        public readonly Span<byte> Data
        {
            get
            {
                if (_header == null)
                    throw new InvalidOperationException("This reservation is empty.");
                return new Span<byte>(_header + RingBufferHeader.Size, _length);
            }
        }

        /// <summary>Hands the record to the kernel.</summary>
        public void Submit() => Commit(discard: false);

        /// <summary>Gives the space back; BPF programs skip the record.</summary>
        public void Discard() => Commit(discard: true);

        private void Commit(bool discard)
        {
            if (_header == null)
                throw new InvalidOperationException("This reservation is empty.");
            uint len = *(uint*)_header;
            if ((len & RingBufferHeader.BusyBit) == 0)
                throw new InvalidOperationException("This record was already submitted or discarded.");
            uint committed = (len & ~RingBufferHeader.BusyBit) | (discard ? RingBufferHeader.DiscardBit : 0);
            // Full barrier: the record's bytes are visible before the kernel sees the busy bit clear.
            Interlocked.Exchange(ref *(uint*)_header, committed);
            _lease.Dispose();
        }
    }
}
