using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using BpfSkeleton.Btf;
using BpfSkeleton.Logging;

namespace BpfSkeleton.Loading
{
    /// <summary>A target type that may stand for a local type: same essential name, compatible kind.</summary>
    internal readonly struct CoreCandidate
    {
        public CoreCandidate(BtfSpec btf, int id)
        {
            Btf = btf;
            Id = id;
        }

        public BtfSpec Btf { get; }
        public int Id { get; }
    }

    /// <summary>
    /// A target BTF's candidates per local essential name (flavor stripped) and kind, found on first
    /// request by one scan of that kind's types — as libbpf searches, but only the types of the
    /// kind asked for — and remembered for every later load in the process. An object asks for a
    /// handful of names; indexing all of vmlinux's types up front cost more than every scan a large
    /// CO-RE object makes.
    /// </summary>
    internal sealed class CoreCandidates
    {
        private static readonly ConditionalWeakTable<BtfSpec, CoreCandidates> s_targets = new();

        private readonly BtfSpec _btf;
        private readonly object _gate = new();
        private Known?[] _slots = new Known?[64]; // open addressing by hash; a power of two, at most half full
        private int _count;

        private CoreCandidates(BtfSpec btf) => _btf = btf;

        public static CoreCandidates For(BtfSpec target) => s_targets.GetValue(target, static btf => new CoreCandidates(btf));

        /// <summary>Adds the target's own types matching the local type, ids ascending (libbpf's order).</summary>
        public void Find(BtfSpec local, int localTypeId, LoaderList<CoreCandidate> found)
        {
            var localType = local.GetType(localTypeId);
            var essential = CoreNames.Essential(CoreNames.Bytes(local, localType.NameOffset));
            if (essential.IsEmpty) return;
            foreach (var id in Lookup(essential, KindClass(localType.Kind)))
                found.Add(new CoreCandidate(_btf, id));
        }

        // Kinds that match each other (CoreCompat.KindsCompatible) share one entry: both enum kinds as Enum.
        private static BtfKind KindClass(BtfKind kind) => kind == BtfKind.Enum64 ? BtfKind.Enum : kind;

        private int[] Lookup(ReadOnlySpan<byte> essential, BtfKind kindClass)
        {
            var hash = CoreNames.Hash(essential) * 31 + (uint)kindClass;
            lock (_gate)
            {
                var mask = _slots.Length - 1;
                var slot = (int)hash & mask;
                for (; _slots[slot] is { } known; slot = (slot + 1) & mask)
                    if (known.Hash == hash && known.Kind == kindClass && essential.SequenceEqual(known.Name))
                        return known.Ids;
                var ids = Scan(essential, kindClass);
                _slots[slot] = new Known(hash, kindClass, essential.ToArray(), ids);
                if (++_count * 2 > _slots.Length) Grow();
                return ids;
            }
        }

        /// <summary>The own types of the kind class whose essential name is <paramref name="essential"/>, ids ascending.</summary>
        private int[] Scan(ReadOnlySpan<byte> essential, BtfKind kindClass)
        {
            using var trace = LoadTrace.Phase($"CO-RE: candidates for '{System.Text.Encoding.UTF8.GetString(essential)}' ({kindClass}) found in {_btf.FileName}");
            var kinds = _btf.OwnKinds;
            var strings = _btf.OwnStrings;
            var first = essential[0];
            var kind = (byte)kindClass;
            var alternative = kindClass == BtfKind.Enum ? (byte)BtfKind.Enum64 : kind;
            int[] ids = Array.Empty<int>();
            var count = 0;
            for (var at = 0; at < kinds.Length;)
            {
                // Vectorized: skips the types of other kinds (most of vmlinux) without reading them.
                var next = kind == alternative ? kinds.Slice(at).IndexOf(kind) : kinds.Slice(at).IndexOfAny(kind, alternative);
                if (next < 0) break;
                var index = at + next;
                at = index + 1;
                var nameOffset = _btf.ReadU32(_btf.OwnOffset(index));
                if (nameOffset == 0 || !_btf.MayStartWith(strings, nameOffset, first) || !HasEssentialName(nameOffset, essential)) continue;
                if (count == ids.Length) Array.Resize(ref ids, Math.Max(4, count * 2));
                ids[count++] = _btf.FirstTypeId + index;
            }
            if (count != ids.Length) Array.Resize(ref ids, count);
            return ids;
        }

        /// <summary>Whether the name at <paramref name="nameOffset"/> is <paramref name="essential"/>, alone or with a ___flavor.</summary>
        private bool HasEssentialName(uint nameOffset, ReadOnlySpan<byte> essential)
        {
            var rest = _btf.LocateString(nameOffset, out var position).Span.Slice(position);
            // The string section ends in NUL, so a name as long as the essential one still has a byte after it.
            if (rest.Length <= essential.Length || !rest.StartsWith(essential)) return false;
            if (rest[essential.Length] == 0) return true;
            var name = rest.Slice(0, rest.IndexOf((byte)0));
            return BtfNames.EssentialLength(name) == essential.Length;
        }

        private void Grow()
        {
            var grown = new Known?[_slots.Length * 2];
            var mask = grown.Length - 1;
            foreach (var known in _slots)
            {
                if (known is null) continue;
                var slot = (int)known.Hash & mask;
                while (grown[slot] is not null) slot = (slot + 1) & mask;
                grown[slot] = known;
            }
            _slots = grown;
        }

        /// <summary>One answered question: the essential name and kind class, and the ids found.</summary>
        private sealed class Known(uint hash, BtfKind kind, byte[] name, int[] ids)
        {
            public uint Hash { get; } = hash;
            public BtfKind Kind { get; } = kind;
            public byte[] Name { get; } = name;
            public int[] Ids { get; } = ids;
        }
    }
}
