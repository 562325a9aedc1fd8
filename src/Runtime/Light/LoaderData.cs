using System;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace BpfSkeleton.Light
{
    /// <summary>
    /// The loader's data (its map's one value) as it is recorded: attrs, BTF, instructions and values, each
    /// 8-byte aligned so pointer fields and instructions sit where the kernel reads them naturally.
    /// </summary>
    internal sealed class LoaderData
    {
        private byte[] _bytes = new byte[4096];
        private int _length;

        public int Length => _length;

        public int Append(ReadOnlySpan<byte> bytes)
        {
            int offset = Reserve(bytes.Length);
            bytes.CopyTo(_bytes.AsSpan(offset));
            return offset;
        }

        public int Append<T>(in T value) where T : unmanaged
            => Append(MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)));

        public int AppendUInt32(uint value)
        {
            int offset = Reserve(4);
            BinaryPrimitives.WriteUInt32LittleEndian(_bytes.AsSpan(offset), value);
            return offset;
        }

        /// <summary>Zeroed space for <paramref name="size"/> bytes.</summary>
        public int Reserve(int size)
        {
            int offset = _length;
            int end = offset + ((Math.Max(size, 1) + 7) & ~7);
            if (end > _bytes.Length) Array.Resize(ref _bytes, Math.Max(end, _bytes.Length * 2));
            _length = end;
            return offset;
        }

        public byte[] ToArray() => _bytes.AsSpan(0, _length).ToArray();
    }
}
