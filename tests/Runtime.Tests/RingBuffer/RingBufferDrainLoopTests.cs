using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using BpfSkeleton.RingBuffer;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.RingBuffer;

/// <summary>
/// The drain loop on ordinary memory laid out as a ring's mapping, so the cases the kernel does not
/// produce on demand (a record still busy, one committed while the reader looks, exact publish
/// points of the consumer position) are checked exactly.
/// </summary>
public unsafe class RingBufferDrainLoopTests
{
    /// <summary>
    /// A consumer page, a producer page and a data area of <see cref="Size"/> bytes "mapped twice":
    /// every write lands in both copies, as the kernel's double mapping shows it.
    /// </summary>
    private sealed class FakeRing : IDisposable
    {
        public const int Size = 256;
        private const uint BusyBit = 1u << 31;
        private const uint DiscardBit = 1u << 30;

        private readonly ulong* _consumer;
        private readonly ulong* _producer;
        private readonly byte* _data;

        public FakeRing(ulong start = 0)
        {
            _consumer = (ulong*)NativeMemory.AlignedAlloc(8, 8);
            _producer = (ulong*)NativeMemory.AlignedAlloc(8, 8);
            _data = (byte*)NativeMemory.AlignedAlloc(2 * Size, 8);
            new Span<byte>(_data, 2 * Size).Fill(0xcc);
            *_consumer = start;
            *_producer = start;
        }

        public ulong Consumer => *_consumer;

        public ulong Producer => *_producer;

        /// <summary>Reserves and writes a record whose bytes are <c>tag, tag+1, ...</c>; returns its position.</summary>
        public ulong Append(int length, byte tag, bool busy = false, bool discard = false)
        {
            ulong position = *_producer;
            uint header = (uint)length | (busy ? BusyBit : 0) | (discard ? DiscardBit : 0);
            Write(position, BitConverter.GetBytes(header));
            Write(position + 4, new byte[4]);
            var payload = new byte[length];
            for (int i = 0; i < length; i++)
                payload[i] = (byte)(tag + i);
            Write(position + 8, payload);
            *_producer = position + (ulong)((length + 8 + 7) & ~7);
            return position;
        }

        /// <summary>Clears the busy bit of the record at <paramref name="position"/>.</summary>
        public void Commit(ulong position)
        {
            uint header = *(uint*)(_data + (position & (Size - 1)));
            Write(position, BitConverter.GetBytes(header & ~BusyBit));
        }

        public long Drain(RingBufferHandler handler, out bool stopped, ulong publishInterval = Size)
        {
            var state = new RingBufferRing.DrainState(_consumer, _producer, _data, Size - 1, publishInterval);
            var wrapper = new DelegateRingBufferHandler(handler);
            return RingBufferRing.Drain(ref wrapper, ref state, out stopped);
        }

        private void Write(ulong position, ReadOnlySpan<byte> bytes)
        {
            for (int i = 0; i < bytes.Length; i++)
            {
                int offset = (int)((position + (ulong)i) & (Size - 1));
                _data[offset] = bytes[i];
                _data[offset + Size] = bytes[i];
            }
        }

        public void Dispose()
        {
            NativeMemory.AlignedFree(_consumer);
            NativeMemory.AlignedFree(_producer);
            NativeMemory.AlignedFree(_data);
        }
    }

    private static bool HasPattern(ReadOnlySpan<byte> record, byte tag)
    {
        for (int i = 0; i < record.Length; i++)
        {
            if (record[i] != (byte)(tag + i))
                return false;
        }
        return true;
    }

    [Fact]
    public void RecordsCrossingTheEndOfTheRingArriveWholeAndDiscardedOnesAreSkipped()
    {
        using var ring = new FakeRing(start: 3 * FakeRing.Size + 200); // 56 bytes before the end
        var lengths = new[] { 5, 40, 1, 16, 33, 8 };
        for (int i = 0; i < lengths.Length; i++)
            ring.Append(lengths[i], tag: (byte)(i * 10), discard: i == 2);
        var seen = new List<byte[]>();

        long count = ring.Drain(record => { seen.Add(record.ToArray()); return 0; }, out bool stopped);

        Assert.False(stopped);
        Assert.Equal(5, count);
        var expected = new[] { 0, 1, 3, 4, 5 }; // record 2 was discarded
        Assert.Equal(expected.Length, seen.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(lengths[expected[i]], seen[i].Length);
            Assert.True(HasPattern(seen[i], (byte)(expected[i] * 10)), $"record {expected[i]} is torn");
        }
        Assert.Equal(ring.Producer, ring.Consumer); // the discarded record's space is released too
        Assert.Equal(0ul, ring.Consumer % 8);
    }

    [Fact]
    public void ABusyRecordStopsTheDrainAtItUntilCommitted()
    {
        using var ring = new FakeRing();
        ring.Append(16, tag: 1);
        ulong busy = ring.Append(16, tag: 2, busy: true);
        ring.Append(16, tag: 3);
        var tags = new List<byte>();

        Assert.Equal(1, ring.Drain(record => { tags.Add(record[0]); return 0; }, out _));
        Assert.Equal(busy, ring.Consumer); // published up to the busy record, so the kernel's commit wakes us
        Assert.Equal(0, ring.Drain(record => { tags.Add(record[0]); return 0; }, out _));

        ring.Commit(busy);
        Assert.Equal(2, ring.Drain(record => { tags.Add(record[0]); return 0; }, out _));
        Assert.Equal(new byte[] { 1, 2, 3 }, tags);
        Assert.Equal(ring.Producer, ring.Consumer);
    }

    [Fact]
    public void ARecordCommittedWhileTheRecordBeforeItIsHandledIsReadInTheSameDrain()
    {
        using var ring = new FakeRing();
        ring.Append(16, tag: 1);
        ulong busy = ring.Append(16, tag: 2, busy: true);
        var tags = new List<byte>();

        // The handler of the record before commits the busy one: its header is read after that
        // handler returns, never earlier.
        long count = ring.Drain(record =>
        {
            tags.Add(record[0]);
            if (record[0] == 1)
                ring.Commit(busy);
            return 0;
        }, out _);

        Assert.Equal(2, count);
        Assert.Equal(new byte[] { 1, 2 }, tags);
        Assert.Equal(ring.Producer, ring.Consumer);
    }

    [Fact]
    public void TheConsumerPositionIsPublishedOncePerBatch()
    {
        using var ring = new FakeRing();
        for (int i = 0; i < 10; i++)
            ring.Append(16, tag: (byte)i); // 24 bytes each
        var published = new List<ulong>();

        // Batches of at least 64 bytes end on a record boundary: records 0-2 (to 72), 3-5 (to 144),
        // 6-8 (to 216), 9 (to 240). Each handler sees the position published before its batch.
        long count = ring.Drain(record => { published.Add(ring.Consumer); return 0; }, out _, publishInterval: 64);

        Assert.Equal(10, count);
        Assert.Equal(new ulong[] { 0, 0, 0, 72, 72, 72, 144, 144, 144, 216 }, published);
        Assert.Equal(240ul, ring.Consumer);
    }

    [Fact]
    public void AHandlerExceptionMidBatchPublishesUpToItsRecord()
    {
        using var ring = new FakeRing();
        var positions = new List<ulong>();
        for (int i = 0; i < 8; i++)
            positions.Add(ring.Append(16, tag: (byte)i));
        var tags = new List<byte>();
        bool thrown = false;
        RingBufferHandler handler = record =>
        {
            if (record[0] == 5 && !thrown)
            {
                thrown = true;
                throw new InvalidOperationException("handler failure");
            }
            tags.Add(record[0]);
            return 0;
        };

        Assert.Throws<InvalidOperationException>(() => ring.Drain(handler, out _));
        Assert.Equal(positions[5], ring.Consumer);
        Assert.Equal(3, ring.Drain(handler, out _));
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4, 5, 6, 7 }, tags);
    }

    [Fact]
    public void AHandlerStoppingMidBatchPublishesPastItsRecord()
    {
        using var ring = new FakeRing();
        var positions = new List<ulong>();
        for (int i = 0; i < 8; i++)
            positions.Add(ring.Append(16, tag: (byte)i));

        Assert.Equal(6, ring.Drain(record => record[0] == 5 ? 1 : 0, out bool stopped));
        Assert.True(stopped);
        Assert.Equal(positions[6], ring.Consumer);
        Assert.Equal(2, ring.Drain(_ => 0, out stopped));
        Assert.False(stopped);
    }

    [Fact]
    public void RecordsProducedDuringTheDrainAreDrainedToo()
    {
        using var ring = new FakeRing();
        ring.Append(16, tag: 0);
        var tags = new List<byte>();

        long count = ring.Drain(record =>
        {
            tags.Add(record[0]);
            if (record[0] < 20)
                ring.Append(16 + record[0] % 7, tag: (byte)(record[0] + 1)); // wraps the 256-byte ring several times
            return 0;
        }, out _, publishInterval: 64);

        Assert.Equal(21, count);
        Assert.Equal(21, tags.Count);
        for (int i = 0; i < tags.Count; i++)
            Assert.Equal((byte)i, tags[i]);
        Assert.Equal(ring.Producer, ring.Consumer);
    }
}
