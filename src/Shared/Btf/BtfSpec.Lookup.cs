using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;

namespace BpfSkeleton.Btf
{
    internal sealed partial class BtfSpec
    {
        private readonly BtfNameIndex?[] _nameIndexes = new BtfNameIndex?[BtfLayout.MaxKind + 1];
        private readonly int[] _scansByKind = new int[BtfLayout.MaxKind + 1];

        // A process that asks for one or two names of a kind (a struct_ops type and its value type, an
        // enum a probe reads) is answered by scanning that kind's types, as libbpf does; hashing every
        // name of the kind costs more than a few scans. The index is built once a kind is asked more often.
        private const int ScansBeforeIndex = 4;

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
            int index = FindFirstOwn(utf8, hash, kind);
            if (index < 0)
                return false;
            id = FirstTypeId + index;
            return true;
        }

        /// <summary>The own index of the first own type of <paramref name="kind"/> named <paramref name="utf8"/>, or -1.</summary>
        private int FindFirstOwn(ReadOnlySpan<byte> utf8, uint hash, BtfKind kind)
        {
            BtfNameIndex? index = Volatile.Read(ref _nameIndexes[(int)kind]);
            if (index is null && Interlocked.Increment(ref _scansByKind[(int)kind]) <= ScansBeforeIndex)
                return ScanFirst(utf8, kind);
            return (index ?? IndexFor(kind)).FindFirst(this, utf8, hash);
        }

        /// <summary>
        /// The first own type of <paramref name="kind"/> named <paramref name="utf8"/>, by a scan: a vectorized search of
        /// the kind bytes skips other kinds without reading their records.
        /// </summary>
        private int ScanFirst(ReadOnlySpan<byte> utf8, BtfKind kind)
        {
            ReadOnlySpan<byte> kinds = OwnKinds;
            ReadOnlySpan<byte> strings = OwnStrings;
            byte first = utf8[0];
            for (int at = 0; at < kinds.Length;)
            {
                int next = kinds.Slice(at).IndexOf((byte)kind);
                if (next < 0)
                    return -1;
                int index = at + next;
                at = index + 1;
                uint nameOffset = ReadU32(OwnOffset(index));
                if (nameOffset == 0 || !MayStartWith(strings, nameOffset, first))
                    continue;
                BtfSpec owner = LocateString(nameOffset, out int position);
                if (Utf8Text.EqualsAt(owner.Span, position, utf8))
                    return index;
            }
            return -1;
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

        private BtfNameIndex IndexFor(BtfKind kind)
        {
            BtfNameIndex? index = Volatile.Read(ref _nameIndexes[(int)kind]);
            if (index is null)
            {
                // Building twice on a race is harmless: both results are identical.
                index = BtfNameIndex.Build(this, kind);
                Interlocked.CompareExchange(ref _nameIndexes[(int)kind], index, null);
            }
            return index;
        }
    }
}
