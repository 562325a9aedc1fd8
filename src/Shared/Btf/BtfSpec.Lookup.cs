using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;

namespace BpfSkeleton.Btf
{
    public sealed partial class BtfSpec
    {
        private BtfNameIndex?[]? _nameIndexes; // by kind; made with the first index

        // A small spec (an object's BTF) answers its first lookups by scanning the types of the kind:
        // an open looks up a few DATASECs, and building an index for them cost more than the scans.
        private const int ScanTypesUpTo = 1024;
        private const int ScanLookupsUpTo = 16;
        private int _scannedLookups;

        /// <summary>The first type (base first, then own types) named <paramref name="name"/> of <paramref name="kind"/>.</summary>
        public bool TryFindByName(string name, BtfKind kind, out int id)
        {
            if (name is null)
                throw new ArgumentNullException(nameof(name));
            if (kind == BtfKind.Unknown)
            {
                id = 0;
                return name == "void";
            }
            byte[] utf8 = Encoding.UTF8.GetBytes(name);
            return TryFind(utf8, BtfNameIndex.Hash(utf8), kind, out id);
        }

        /// <summary>
        /// <see cref="TryFindByName(string, BtfKind, out int)"/> for a name as stored in an ELF string
        /// table: an ASCII name is looked up as it is, anything else as its decoded string would be
        /// (invalid UTF-8 then matches what the decoded string's encoding matches).
        /// </summary>
        internal bool TryFindByName(ReadOnlySpan<byte> utf8, BtfKind kind, out int id)
        {
            if (!Utf8Text.IsAscii(utf8))
                return TryFindByName(Utf8Text.Decode(utf8), kind, out id);
            if (kind == BtfKind.Unknown)
            {
                id = 0;
                return utf8.SequenceEqual(Void);
            }
            return TryFind(utf8, BtfNameIndex.Hash(utf8), kind, out id);
        }

        private static readonly byte[] Void = { (byte)'v', (byte)'o', (byte)'i', (byte)'d' };

        /// <summary>Every type named <paramref name="name"/> of <paramref name="kind"/>, base types first, ids ascending.</summary>
        public IEnumerable<int> FindAllByName(string name, BtfKind kind)
        {
            if (name is null)
                throw new ArgumentNullException(nameof(name));
            var ids = new List<int>();
            if (kind == BtfKind.Unknown || (int)kind > BtfLayout.MaxKind || name.Length == 0)
                return ids;
            byte[] utf8 = Encoding.UTF8.GetBytes(name);
            CollectAll(utf8, BtfNameIndex.Hash(utf8), kind, ids);
            return ids;
        }

        private bool TryFind(ReadOnlySpan<byte> utf8, uint hash, BtfKind kind, out int id)
        {
            if (Base is not null && Base.TryFind(utf8, hash, kind, out id))
                return true;
            id = 0;
            if ((int)kind > BtfLayout.MaxKind || utf8.Length == 0)
                return false;
            int index = ShouldScan(kind) ? ScanFirst(utf8, kind) : IndexFor(kind).FindFirst(this, utf8, hash);
            if (index < 0)
                return false;
            id = FirstTypeId + index;
            return true;
        }

        private void CollectAll(byte[] utf8, uint hash, BtfKind kind, List<int> ids)
        {
            Base?.CollectAll(utf8, hash, kind, ids);
            int from = ids.Count;
            IndexFor(kind).FindAll(this, utf8, hash, ids);
            for (int i = from; i < ids.Count; i++)
                ids[i] += FirstTypeId;
            ids.Sort(from, ids.Count - from, null);
        }

        private bool ShouldScan(BtfKind kind)
        {
            if (_ownTypeCount > ScanTypesUpTo || _scannedLookups >= ScanLookupsUpTo)
                return false;
            if (Volatile.Read(ref _nameIndexes) is { } indexes && indexes[(int)kind] is not null)
                return false;
            _scannedLookups++; // a racing increment only changes when the index gets built
            return true;
        }

        /// <summary>
        /// The first own type of the kind named <paramref name="utf8"/>, or -1; every name of the kind
        /// is checked as <see cref="BtfNameIndex.Build"/> checks it, so a bad one fails the same way.
        /// </summary>
        private int ScanFirst(ReadOnlySpan<byte> utf8, BtfKind kind)
        {
            ReadOnlySpan<byte> kinds = new ReadOnlySpan<byte>(_kinds, 0, _ownTypeCount);
            int found = -1;
            for (int i = kinds.IndexOf((byte)kind); i >= 0; )
            {
                uint nameOffset = ReadU32(_typeOffsets[i]);
                if (nameOffset != 0)
                {
                    BtfSpec strings = LocateString(nameOffset, out int position);
                    if (found < 0 && Utf8Text.EqualsAt(strings.Span, position, utf8))
                        found = i;
                }
                int next = kinds.Slice(i + 1).IndexOf((byte)kind);
                i = next < 0 ? -1 : i + 1 + next;
            }
            return found;
        }

        private BtfNameIndex IndexFor(BtfKind kind)
        {
            BtfNameIndex?[] indexes = Volatile.Read(ref _nameIndexes)
                ?? Interlocked.CompareExchange(ref _nameIndexes, new BtfNameIndex?[BtfLayout.MaxKind + 1], null)
                ?? _nameIndexes!;
            BtfNameIndex? index = Volatile.Read(ref indexes[(int)kind]);
            if (index is null)
            {
                // Building twice on a race is harmless: both results are identical.
                index = BtfNameIndex.Build(this, kind);
                Interlocked.CompareExchange(ref indexes[(int)kind], index, null);
            }
            return index;
        }
    }
}
