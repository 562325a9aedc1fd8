using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using BpfSkeleton.Btf;

namespace BpfSkeleton
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
    /// Index of a target BTF's own named types by essential name (flavor stripped), built once per
    /// target in one pass over the raw type records, so candidate search is a bucket probe instead
    /// of libbpf's scan of every kernel type per local type.
    /// </summary>
    internal sealed class CoreCandidates
    {
        private static readonly ConditionalWeakTable<BtfSpec, CoreCandidates> s_indexes = new();

        private readonly BtfSpec _btf;
        private readonly int[] _bucketStart; // bucket b holds _ids[_bucketStart[b] .. _bucketStart[b + 1])
        private readonly int[] _ids;
        private readonly int _mask;

        private CoreCandidates(BtfSpec btf)
        {
            _btf = btf;
            var count = btf.OwnTypeCount;
            var hashes = new uint[count];
            var named = new bool[count];
            var namedCount = 0;
            for (var i = 0; i < count; i++)
            {
                var nameOffset = btf.ReadU32(btf.OwnOffset(i));
                if (nameOffset == 0) continue;
                hashes[i] = CoreNames.Hash(CoreNames.Essential(CoreNames.Bytes(btf, nameOffset)));
                named[i] = true;
                namedCount++;
            }
            var buckets = 16;
            while (buckets < namedCount) buckets <<= 1;
            _mask = buckets - 1;
            _bucketStart = new int[buckets + 1];
            for (var i = 0; i < count; i++)
                if (named[i]) _bucketStart[(hashes[i] & _mask) + 1]++;
            for (var b = 0; b < buckets; b++) _bucketStart[b + 1] += _bucketStart[b];
            _ids = new int[namedCount];
            var fill = (int[])_bucketStart.Clone();
            for (var i = 0; i < count; i++)
                if (named[i]) _ids[fill[hashes[i] & _mask]++] = btf.FirstTypeId + i;
        }

        public static CoreCandidates For(BtfSpec target) => s_indexes.GetValue(target, static btf =>
        {
            using var trace = LoadTrace.Phase($"CO-RE: candidate index of {btf.FileName} built");
            return new CoreCandidates(btf);
        });

        /// <summary>Adds the target's own types matching the local type, ids ascending (libbpf's order).</summary>
        public void Find(BtfSpec local, int localTypeId, List<CoreCandidate> found)
        {
            var localType = local.GetType(localTypeId);
            var essential = CoreNames.Essential(CoreNames.Bytes(local, localType.NameOffset));
            if (essential.IsEmpty) return;
            var bucket = CoreNames.Hash(essential) & (uint)_mask;
            // Buckets were filled in id order, so candidates come out ascending as in libbpf.
            for (var at = _bucketStart[bucket]; at < _bucketStart[bucket + 1]; at++)
            {
                var id = _ids[at];
                var type = _btf.GetType(id);
                if (!CoreCompat.KindsCompatible(type.Kind, localType.Kind)) continue;
                if (!CoreNames.Essential(CoreNames.Bytes(_btf, type.NameOffset)).SequenceEqual(essential)) continue;
                found.Add(new CoreCandidate(_btf, id));
            }
        }
    }
}
