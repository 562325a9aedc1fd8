using System;
using System.Collections.Generic;

namespace BpfSkeleton.Btf
{
    /// <summary>
    /// Open-addressing hash table from name to the own types of one kind, built on the first
    /// lookup of that kind. Hashes the UTF-8 bytes in place: no string per type.
    /// </summary>
    internal sealed class BtfNameIndex
    {
        private readonly int[] _slots;   // own type index + 1; 0 = empty
        private readonly uint[] _hashes; // hash of the name in the same slot
        private readonly int _mask;

        private BtfNameIndex(int capacity)
        {
            _slots = new int[capacity];
            _hashes = new uint[capacity];
            _mask = capacity - 1;
        }

        public static BtfNameIndex Build(BtfSpec spec, BtfKind kind)
        {
            int count = 0;
            for (int i = 0; i < spec.OwnTypeCount; i++)
            {
                if (spec.OwnKind(i) == (byte)kind)
                    count++;
            }
            int capacity = 16;
            while (capacity < count * 2)
                capacity <<= 1;
            var index = new BtfNameIndex(capacity);
            for (int i = 0; i < spec.OwnTypeCount; i++)
            {
                if (spec.OwnKind(i) != (byte)kind)
                    continue;
                uint nameOffset = spec.ReadU32(spec.OwnOffset(i));
                if (nameOffset == 0)
                    continue;
                BtfSpec strings = spec.LocateString(nameOffset, out int position);
                uint hash = Hash(strings.Span.Slice(position));
                int slot = (int)hash & index._mask;
                while (index._slots[slot] != 0)
                    slot = (slot + 1) & index._mask;
                index._slots[slot] = i + 1;
                index._hashes[slot] = hash;
            }
            return index;
        }

        /// <summary>Own type indices named <paramref name="utf8"/>, in id order.</summary>
        public void FindAll(BtfSpec spec, ReadOnlySpan<byte> utf8, uint hash, List<int> into)
        {
            for (int slot = (int)hash & _mask; _slots[slot] != 0; slot = (slot + 1) & _mask)
            {
                if (_hashes[slot] == hash && NameEquals(spec, _slots[slot] - 1, utf8))
                    into.Add(_slots[slot] - 1);
            }
        }

        public int FindFirst(BtfSpec spec, ReadOnlySpan<byte> utf8, uint hash)
        {
            for (int slot = (int)hash & _mask; _slots[slot] != 0; slot = (slot + 1) & _mask)
            {
                if (_hashes[slot] == hash && NameEquals(spec, _slots[slot] - 1, utf8))
                    return _slots[slot] - 1; // linear probing keeps equal names in insertion (= id) order
            }
            return -1;
        }

        private static bool NameEquals(BtfSpec spec, int ownIndex, ReadOnlySpan<byte> utf8)
        {
            BtfSpec strings = spec.LocateString(spec.ReadU32(spec.OwnOffset(ownIndex)), out int position);
            return Utf8Text.EqualsAt(strings.Span, position, utf8);
        }

        /// <summary>FNV-1a over a NUL-terminated (or span-terminated) name.</summary>
        public static uint Hash(ReadOnlySpan<byte> name)
        {
            uint hash = 2166136261;
            foreach (byte b in name)
            {
                if (b == 0)
                    break;
                hash = (hash ^ b) * 16777619;
            }
            return hash;
        }
    }
}
