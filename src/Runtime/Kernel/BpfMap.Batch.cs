using System;
using System.Runtime.InteropServices;
using BpfSkeleton.Handles;
using BpfSkeleton.Interop;

namespace BpfSkeleton.Kernel
{
    public sealed unsafe partial class BpfMap
    {
        /// <summary>
        /// Reads up to <c>keys.Length</c> elements from where <paramref name="cursor"/> stands and
        /// returns how many were read. Hash maps return whole buckets, so a call can return fewer than
        /// requested before the end, and fails with ENOSPC if one bucket does not fit.
        /// </summary>
        public int LookupBatch<TKey, TValue>(ref BpfBatchCursor cursor, Span<TKey> keys, Span<TValue> values)
            where TKey : unmanaged where TValue : unmanaged
        {
            CheckScalar<TKey, TValue>();
            return ReadBatch(BpfCommand.MapLookupBatch, ref cursor, MemoryMarshal.AsBytes(keys), MemoryMarshal.AsBytes(values), keys.Length, values.Length);
        }

        /// <summary>Like <see cref="LookupBatch{TKey, TValue}"/>, deleting what it returns.</summary>
        public int LookupAndDeleteBatch<TKey, TValue>(ref BpfBatchCursor cursor, Span<TKey> keys, Span<TValue> values)
            where TKey : unmanaged where TValue : unmanaged
        {
            CheckScalar<TKey, TValue>();
            return ReadBatch(BpfCommand.MapLookupAndDeleteBatch, ref cursor, MemoryMarshal.AsBytes(keys), MemoryMarshal.AsBytes(values), keys.Length, values.Length);
        }

        /// <summary>Raw form: <paramref name="keys"/> holds whole keys, <paramref name="values"/> whole value buffers (per-CPU aware).</summary>
        public int LookupBatch(ref BpfBatchCursor cursor, Span<byte> keys, Span<byte> values)
            => ReadBatch(BpfCommand.MapLookupBatch, ref cursor, keys, values, keys.Length / (int)KeySize, values.Length / ValueBufferSize);

        /// <summary>Writes every key/value pair; returns the number written.</summary>
        public int UpdateBatch<TKey, TValue>(ReadOnlySpan<TKey> keys, ReadOnlySpan<TValue> values, BpfMapUpdateFlags flags = BpfMapUpdateFlags.Any)
            where TKey : unmanaged where TValue : unmanaged
        {
            CheckScalar<TKey, TValue>();
            if (keys.Length != values.Length)
                throw new ArgumentException("keys and values must have the same length.");
            fixed (TKey* k = keys)
            fixed (TValue* v = values)
                return WriteBatch(BpfCommand.MapUpdateBatch, k, v, keys.Length, (ulong)flags, "update batch in");
        }

        /// <summary>Deletes every key; returns the number deleted (stops with ENOENT at a missing key).</summary>
        public int DeleteBatch<TKey>(ReadOnlySpan<TKey> keys) where TKey : unmanaged
        {
            CheckKey<TKey>();
            fixed (TKey* k = keys)
                return WriteBatch(BpfCommand.MapDeleteBatch, k, null, keys.Length, 0, "delete batch from");
        }

        private int ReadBatch(BpfCommand command, ref BpfBatchCursor cursor, Span<byte> keys, Span<byte> values, int keyCount, int valueCount)
        {
            if (cursor.Done)
                return 0;
            int count = Math.Min(keyCount, valueCount);
            if (count <= 0)
                throw new ArgumentException("The batch buffers must hold at least one element.");
            if (KeySize > BpfBatchCursor.TokenSize && !IsHashFamily)
                throw new NotSupportedException($"{this}: batch cursor tokens larger than {BpfBatchCursor.TokenSize} bytes are not supported.");
            using var lease = new FdLease(Fd);
            fixed (byte* inToken = &cursor.In[0])
            fixed (byte* outToken = &cursor.Out[0])
            fixed (byte* k = keys)
            fixed (byte* v = values)
            {
                var attr = new MapBatchAttr
                {
                    InBatch = cursor.Started ? (ulong)inToken : 0,
                    OutBatch = (ulong)outToken,
                    Keys = (ulong)k,
                    Values = (ulong)v,
                    Count = (uint)count,
                    MapFd = lease.UFd,
                };
                int result = Sys.Bpf(command, ref attr);
                if (result < 0 && result != -Errno.ENOENT)
                {
                    BpfErrors.Throw($"{(command == BpfCommand.MapLookupBatch ? "look up batch in" : "look up and delete batch in")} {this}", -result, BpfCallKind.Other,
                        result == -Errno.ENOSPC ? "a hash bucket holds more elements than the buffers; use larger buffers" : null);
                }
                // ENOENT: the walk reached the end; attr.Count still says how many were copied.
                cursor.Done = result == -Errno.ENOENT;
                cursor.Started = true;
                cursor.In = cursor.Out;
                return (int)attr.Count;
            }
        }

        private int WriteBatch(BpfCommand command, void* keys, void* values, int count, ulong elementFlags, string verb)
        {
            if (count == 0)
                return 0;
            using var lease = new FdLease(Fd);
            var attr = new MapBatchAttr { Keys = (ulong)keys, Values = (ulong)values, Count = (uint)count, MapFd = lease.UFd, ElemFlags = elementFlags };
            int result = Sys.Bpf(command, ref attr);
            if (result < 0)
                ThrowElementError(result, verb);
            return (int)attr.Count;
        }

        private bool IsHashFamily => Type is BpfMapType.Hash or BpfMapType.PerCpuHash or BpfMapType.LruHash
            or BpfMapType.LruPerCpuHash or BpfMapType.HashOfMaps;
    }
}
