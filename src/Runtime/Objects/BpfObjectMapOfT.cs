using System;

namespace BpfSkeleton
{
    /// <summary>
    /// A typed view of an object's map, as skeletons expose it: the definition before load, typed
    /// element operations on the live map after. Key and value sizes are checked against the map.
    /// </summary>
    public sealed class BpfObjectMap<TKey, TValue>
        where TKey : unmanaged
        where TValue : unmanaged
    {
        public BpfObjectMap(BpfObjectMap map)
        {
            ArgumentNullException.ThrowIfNull(map);
            Untyped = map;
        }

        /// <summary>The untyped object map (definition, autocreate, live map).</summary>
        public BpfObjectMap Untyped { get; }

        public string Name => Untyped.Name;

        /// <summary>The definition as the object gives it (read only; edit through this map's setters).</summary>
        public Specs.MapSpec Spec => Untyped.Spec;

        public uint MaxEntries
        {
            get => Untyped.MaxEntries;
            set => Untyped.MaxEntries = value;
        }

        /// <summary>Whether Load() creates the map (see <see cref="BpfObjectMap.AutoCreate"/>).</summary>
        public bool AutoCreate
        {
            get => Untyped.AutoCreate;
            set => Untyped.AutoCreate = value;
        }

        /// <summary>Where Load() takes the map from or pins it (see <see cref="BpfObjectMap.PinPath"/>).</summary>
        public string? PinPath
        {
            get => Untyped.PinPath;
            set => Untyped.PinPath = value;
        }

        /// <summary>Shares an existing map instead of creating one (see <see cref="BpfObjectMap.ReuseMap"/>).</summary>
        public void ReuseMap(BpfMap map) => Untyped.ReuseMap(map);

        /// <summary>True once created in the kernel.</summary>
        public bool IsCreated => Untyped.IsCreated;

        /// <summary>The live kernel map, after load.</summary>
        public BpfMap Map => Untyped.Map;

        // Element operations: the live map's, with the key and value types stated once.

        public bool TryLookup(in TKey key, out TValue value, BpfMapLookupFlags flags = BpfMapLookupFlags.None)
            => Map.TryLookup(in key, out value, flags);

        public TValue Lookup(in TKey key) => Map.Lookup<TKey, TValue>(in key);

        public void Update(in TKey key, in TValue value, BpfMapUpdateFlags flags = BpfMapUpdateFlags.Any)
            => Map.Update(in key, in value, flags);

        public void Delete(in TKey key) => Map.Delete(in key);

        public bool TryDelete(in TKey key) => Map.TryDelete(in key);

        /// <summary>Looks a key up and deletes it in one call (queues, stacks and hash maps).</summary>
        public bool TryLookupAndDelete(in TKey key, out TValue value) => Map.TryLookupAndDelete(in key, out value);

        /// <summary>The map's keys, walked with BPF_MAP_GET_NEXT_KEY; allocation-free.</summary>
        public BpfMap.KeyEnumerable<TKey> Keys() => Map.Keys<TKey>();

        // Batch operations (see BpfMap's batch methods for the cursor's use).

        public int LookupBatch(ref BpfBatchCursor cursor, Span<TKey> keys, Span<TValue> values)
            => Map.LookupBatch(ref cursor, keys, values);

        public int LookupAndDeleteBatch(ref BpfBatchCursor cursor, Span<TKey> keys, Span<TValue> values)
            => Map.LookupAndDeleteBatch(ref cursor, keys, values);

        public int UpdateBatch(ReadOnlySpan<TKey> keys, ReadOnlySpan<TValue> values, BpfMapUpdateFlags flags = BpfMapUpdateFlags.Any)
            => Map.UpdateBatch(keys, values, flags);

        public int DeleteBatch(ReadOnlySpan<TKey> keys) => Map.DeleteBatch(keys);

        // Per-CPU maps: one value per possible CPU.

        /// <summary>Every CPU's value of <paramref name="key"/> (a span of at least the possible CPU count).</summary>
        public bool TryLookupPerCpu(in TKey key, Span<TValue> perCpu) => Map.TryLookupPerCpu(in key, perCpu);

        public void UpdatePerCpu(in TKey key, ReadOnlySpan<TValue> perCpu, BpfMapUpdateFlags flags = BpfMapUpdateFlags.Any)
            => Map.UpdatePerCpu(in key, perCpu, flags);

        public int LookupBatchPerCpu(ref BpfBatchCursor cursor, Span<TKey> keys, Span<TValue> values)
            => Map.LookupBatchPerCpu(ref cursor, keys, values);

        public int UpdateBatchPerCpu(ReadOnlySpan<TKey> keys, ReadOnlySpan<TValue> values, BpfMapUpdateFlags flags = BpfMapUpdateFlags.Any)
            => Map.UpdateBatchPerCpu(keys, values, flags);

        public override string ToString() => Untyped.ToString();
    }
}
