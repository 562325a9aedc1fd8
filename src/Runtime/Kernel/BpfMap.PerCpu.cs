using System;
using System.Buffers;
using System.Runtime.InteropServices;
using BpfSkeleton.Interop;

namespace BpfSkeleton.Kernel
{
    public sealed unsafe partial class BpfMap
    {
        private const int StackBufferLimit = 1024;

        /// <summary>
        /// Reads the value of every possible CPU into <paramref name="perCpu"/>, which must hold at least
        /// <see cref="PossibleCpus.Count"/> elements. False if the key is absent.
        /// </summary>
        public bool TryLookupPerCpu<TKey, TValue>(in TKey key, Span<TValue> perCpu)
            where TKey : unmanaged where TValue : unmanaged
        {
            int cpus = CheckPerCpu<TKey, TValue>(perCpu.Length);
            fixed (TKey* k = &key)
            {
                // The kernel writes each CPU's value at an 8-byte aligned stride; when TValue already
                // has that size the caller's span is the buffer.
                if (sizeof(TValue) == PerCpuValueStride)
                {
                    fixed (TValue* v = perCpu)
                        return LookupResult(ElementCall(BpfCommand.MapLookupElem, k, v, 0), "look up element in");
                }
                int size = cpus * PerCpuValueStride;
                byte[]? rented = size > StackBufferLimit ? ArrayPool<byte>.Shared.Rent(size) : null;
                Span<byte> buffer = rented is null ? stackalloc byte[size] : rented.AsSpan(0, size);
                try
                {
                    bool found;
                    fixed (byte* v = buffer)
                        found = LookupResult(ElementCall(BpfCommand.MapLookupElem, k, v, 0), "look up element in");
                    if (found)
                    {
                        for (int cpu = 0; cpu < cpus; cpu++)
                            perCpu[cpu] = MemoryMarshal.Read<TValue>(buffer.Slice(cpu * PerCpuValueStride));
                    }
                    return found;
                }
                finally
                {
                    if (rented is not null)
                        ArrayPool<byte>.Shared.Return(rented);
                }
            }
        }

        /// <summary>Writes one value per possible CPU.</summary>
        public void UpdatePerCpu<TKey, TValue>(in TKey key, ReadOnlySpan<TValue> perCpu, BpfMapUpdateFlags flags = BpfMapUpdateFlags.Any)
            where TKey : unmanaged where TValue : unmanaged
        {
            int cpus = CheckPerCpu<TKey, TValue>(perCpu.Length);
            fixed (TKey* k = &key)
            {
                if (sizeof(TValue) == PerCpuValueStride)
                {
                    fixed (TValue* v = perCpu)
                        CheckElement(ElementCall(BpfCommand.MapUpdateElem, k, v, (ulong)flags), "update element in");
                    return;
                }
                int size = cpus * PerCpuValueStride;
                byte[]? rented = size > StackBufferLimit ? ArrayPool<byte>.Shared.Rent(size) : null;
                Span<byte> buffer = rented is null ? stackalloc byte[size] : rented.AsSpan(0, size);
                try
                {
                    buffer.Clear();
                    for (int cpu = 0; cpu < cpus; cpu++)
                        MemoryMarshal.Write(buffer.Slice(cpu * PerCpuValueStride), in perCpu[cpu]);
                    fixed (byte* v = buffer)
                        CheckElement(ElementCall(BpfCommand.MapUpdateElem, k, v, (ulong)flags), "update element in");
                }
                finally
                {
                    if (rented is not null)
                        ArrayPool<byte>.Shared.Return(rented);
                }
            }
        }

        private int CheckPerCpu<TKey, TValue>(int spanLength) where TKey : unmanaged where TValue : unmanaged
        {
            int cpus = CheckPerCpuTypes<TKey, TValue>();
            if (spanLength < cpus)
                throw new ArgumentException($"{this} needs one value per possible CPU ({cpus}), got {spanLength}.", "perCpu");
            return cpus;
        }

        /// <summary>The map is per-CPU and the types fit it; returns the possible CPU count.</summary>
        private int CheckPerCpuTypes<TKey, TValue>() where TKey : unmanaged where TValue : unmanaged
        {
            if (!IsPerCpu)
                throw new InvalidOperationException($"{this} is not a per-CPU map.");
            if (sizeof(TKey) != KeySize || sizeof(TValue) != ValueSize)
                ThrowTypeMismatch(typeof(TKey), sizeof(TKey), typeof(TValue), sizeof(TValue));
            return PossibleCpus.Count;
        }
    }
}
