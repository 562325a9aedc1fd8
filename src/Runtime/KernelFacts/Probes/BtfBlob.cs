using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;
using BpfSkeleton.Btf;

namespace BpfSkeleton.KernelFacts
{
    /// <summary>Builds tiny raw BTF blobs (header + types + strings) for the feature probes.</summary>
    internal sealed class BtfBlob
    {
        // Type words as little-endian bytes: a List<byte> is precompiled in the runtime, a List<uint> would be JIT-compiled.
        private readonly List<byte> _types = new();
        private uint _count;
        private readonly List<byte> _strings = new() { 0 };

        internal uint Name(string name)
        {
            uint offset = (uint)_strings.Count;
            _strings.AddRange(Encoding.ASCII.GetBytes(name));
            _strings.Add(0);
            return offset;
        }

        /// <summary>Appends one type (its three header words plus extra words) and returns its id.</summary>
        internal uint Add(uint nameOffset, BtfKind kind, int vlen, uint sizeOrType, params uint[] extra)
        {
            Word(nameOffset);
            Word((uint)kind << 24 | (uint)vlen);
            Word(sizeOrType);
            foreach (uint word in extra)
                Word(word);
            return ++_count;
        }

        private void Word(uint value)
        {
            _types.Add((byte)value);
            _types.Add((byte)(value >> 8));
            _types.Add((byte)(value >> 16));
            _types.Add((byte)(value >> 24));
        }

        internal uint AddInt(string name = "int") => Add(Name(name), BtfKind.Int, 0, 4, 1u << 24 | 32); // signed, 32 bits

        internal byte[] ToArray()
        {
            const int headerLength = 24;
            int typeLength = _types.Count;
            var bytes = new byte[headerLength + typeLength + _strings.Count];
            Span<byte> span = bytes;
            BinaryPrimitives.WriteUInt16LittleEndian(span, 0xeB9F);
            span[2] = 1; // version
            span[3] = 0; // flags
            BinaryPrimitives.WriteUInt32LittleEndian(span[4..], headerLength);
            BinaryPrimitives.WriteUInt32LittleEndian(span[8..], 0);                  // type_off
            BinaryPrimitives.WriteUInt32LittleEndian(span[12..], (uint)typeLength);  // type_len
            BinaryPrimitives.WriteUInt32LittleEndian(span[16..], (uint)typeLength);  // str_off
            BinaryPrimitives.WriteUInt32LittleEndian(span[20..], (uint)_strings.Count);
            _types.CopyTo(bytes, headerLength);
            _strings.CopyTo(bytes, headerLength + typeLength);
            return bytes;
        }
    }
}
