using System;
using System.Runtime.InteropServices;
using BpfSkeleton.Interop;

namespace BpfSkeleton.Kernel
{
    public sealed unsafe partial class BpfMap
    {
        /// <summary>
        /// Per-CPU maps: reads up to <c>keys.Length</c> elements from where <paramref name="cursor"/> stands, every
        /// CPU's value of key <c>i</c> landing at <c>values[i * PossibleCpus.Count + cpu]</c>; returns how many were read.
        /// TValue's size must be a multiple of 8, the stride the kernel writes per CPU (else use the byte form).
        /// </summary>
        public int LookupBatchPerCpu<TKey, TValue>(ref BpfBatchCursor cursor, Span<TKey> keys, Span<TValue> values)
            where TKey : unmanaged where TValue : unmanaged
        {
            int cpus = CheckPerCpuBatch<TKey, TValue>();
            return ReadBatch(BpfCommand.MapLookupBatch, ref cursor, MemoryMarshal.AsBytes(keys), MemoryMarshal.AsBytes(values), keys.Length, values.Length / cpus);
        }

        /// <summary>Per-CPU maps: writes every key with its <see cref="PossibleCpus.Count"/> values (laid out as for <see cref="LookupBatchPerCpu"/>); returns the number written.</summary>
        public int UpdateBatchPerCpu<TKey, TValue>(ReadOnlySpan<TKey> keys, ReadOnlySpan<TValue> values, BpfMapUpdateFlags flags = BpfMapUpdateFlags.Any)
            where TKey : unmanaged where TValue : unmanaged
        {
            int cpus = CheckPerCpuBatch<TKey, TValue>();
            if (values.Length != keys.Length * cpus)
                throw new ArgumentException($"{this}: {keys.Length} keys need {keys.Length * cpus} values ({cpus} possible CPUs each), got {values.Length}.", nameof(values));
            fixed (TKey* k = keys)
            fixed (TValue* v = values)
                return WriteBatch(BpfCommand.MapUpdateBatch, k, v, keys.Length, (ulong)flags, "update batch in");
        }

        private int CheckPerCpuBatch<TKey, TValue>() where TKey : unmanaged where TValue : unmanaged
        {
            int cpus = CheckPerCpuTypes<TKey, TValue>();
            if (sizeof(TValue) != PerCpuValueStride)
                throw new ArgumentException(
                    $"{this}: the kernel lays per-CPU values {PerCpuValueStride} bytes apart but {typeof(TValue).Name} is {sizeof(TValue)}; use a value type padded to {PerCpuValueStride} bytes or the byte-buffer LookupBatch", "values");
            return cpus;
        }
    }
}
