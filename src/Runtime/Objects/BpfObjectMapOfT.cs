using System;
using BpfSkeleton.Kernel;

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
        /// <summary>
        /// A typed view of <paramref name="map"/>; the sizes of <typeparamref name="TKey"/> and <typeparamref name="TValue"/> are checked on each operation.
        /// Throws <see cref="ArgumentNullException"/> when <paramref name="map"/> is null.
        /// </summary>
        public BpfObjectMap(BpfObjectMap map)
        {
            ArgumentNullException.ThrowIfNull(map);
            Untyped = map;
        }

        /// <summary>The untyped object map (definition, autocreate, live map).</summary>
        public BpfObjectMap Untyped { get; }

        /// <summary>The map's name, as declared.</summary>
        public string Name => Untyped.Name;

        /// <summary>The definition as the object gives it (read only; edit through this map's setters).</summary>
        public Specs.MapSpec Spec => Untyped.Spec;

        /// <summary>Capacity in elements, as Load() will create it; settable only before load (see <see cref="BpfObjectMap.MaxEntries"/>).</summary>
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

        /// <summary>
        /// Copies the value stored under <paramref name="key"/>; false if there is none. Valid after load
        /// (<see cref="InvalidOperationException"/> before); see <see cref="BpfMap.TryLookup{TKey, TValue}"/>.
        /// </summary>
        public bool TryLookup(in TKey key, out TValue value, BpfMapLookupFlags flags = BpfMapLookupFlags.None)
            => Map.TryLookup(in key, out value, flags);

        /// <summary>The value stored under <paramref name="key"/>; throws <see cref="BpfKeyNotFoundException"/> if there is none.</summary>
        public TValue Lookup(in TKey key) => Map.Lookup<TKey, TValue>(in key);

        /// <summary>
        /// Stores <paramref name="value"/> under <paramref name="key"/>; flags and errors as in <see cref="BpfMap.Update{TKey, TValue}"/>.
        /// </summary>
        public void Update(in TKey key, in TValue value, BpfMapUpdateFlags flags = BpfMapUpdateFlags.Any)
            => Map.Update(in key, in value, flags);

        /// <summary>Deletes the element stored under <paramref name="key"/>; throws <see cref="BpfKeyNotFoundException"/> if there is none.</summary>
        public void Delete(in TKey key) => Map.Delete(in key);

        /// <summary>Deletes the element stored under <paramref name="key"/>; false if there was none.</summary>
        public bool TryDelete(in TKey key) => Map.TryDelete(in key);

        /// <summary>Looks a key up and deletes it in one call (queues, stacks and hash maps).</summary>
        public bool TryLookupAndDelete(in TKey key, out TValue value) => Map.TryLookupAndDelete(in key, out value);

        /// <summary>The map's keys, walked with BPF_MAP_GET_NEXT_KEY; allocation-free.</summary>
        public BpfMap.KeyEnumerable<TKey> Keys() => Map.Keys<TKey>();

        // Batch operations (see BpfMap's batch methods for the cursor's use).

        /// <summary>
        /// Reads the next batch of elements into <paramref name="keys"/> and <paramref name="values"/> from where <paramref name="cursor"/> stands;
        /// returns how many were read; <see cref="BpfBatchCursor.Done"/> tells when the walk has ended. See <see cref="BpfMap.LookupBatch{TKey, TValue}"/>.
        /// </summary>
        public int LookupBatch(ref BpfBatchCursor cursor, Span<TKey> keys, Span<TValue> values)
            => Map.LookupBatch(ref cursor, keys, values);

        /// <summary>As <see cref="LookupBatch"/>, and deletes the elements read; returns how many.</summary>
        public int LookupAndDeleteBatch(ref BpfBatchCursor cursor, Span<TKey> keys, Span<TValue> values)
            => Map.LookupAndDeleteBatch(ref cursor, keys, values);

        /// <summary>Stores <paramref name="values"/> under <paramref name="keys"/> (the same length) in one call; returns how many were stored.</summary>
        public int UpdateBatch(ReadOnlySpan<TKey> keys, ReadOnlySpan<TValue> values, BpfMapUpdateFlags flags = BpfMapUpdateFlags.Any)
            => Map.UpdateBatch(keys, values, flags);

        /// <summary>Deletes the elements stored under <paramref name="keys"/> in one call; returns how many were deleted.</summary>
        public int DeleteBatch(ReadOnlySpan<TKey> keys) => Map.DeleteBatch(keys);

        // Per-CPU maps: one value per possible CPU.

        /// <summary>Every CPU's value of <paramref name="key"/> (a span of at least the possible CPU count).</summary>
        public bool TryLookupPerCpu(in TKey key, Span<TValue> perCpu) => Map.TryLookupPerCpu(in key, perCpu);

        /// <summary>
        /// Stores every CPU's value of <paramref name="key"/> (<paramref name="perCpu"/> holds <see cref="PossibleCpus.Count"/> values); per-CPU maps only.
        /// </summary>
        public void UpdatePerCpu(in TKey key, ReadOnlySpan<TValue> perCpu, BpfMapUpdateFlags flags = BpfMapUpdateFlags.Any)
            => Map.UpdatePerCpu(in key, perCpu, flags);

        /// <summary>
        /// As <see cref="LookupBatch"/> for per-CPU maps: <paramref name="values"/> holds <see cref="PossibleCpus.Count"/> values per key.
        /// </summary>
        public int LookupBatchPerCpu(ref BpfBatchCursor cursor, Span<TKey> keys, Span<TValue> values)
            => Map.LookupBatchPerCpu(ref cursor, keys, values);

        /// <summary>
        /// As <see cref="UpdateBatch"/> for per-CPU maps: <paramref name="values"/> holds <see cref="PossibleCpus.Count"/> values per key.
        /// </summary>
        public int UpdateBatchPerCpu(ReadOnlySpan<TKey> keys, ReadOnlySpan<TValue> values, BpfMapUpdateFlags flags = BpfMapUpdateFlags.Any)
            => Map.UpdateBatchPerCpu(keys, values, flags);

        /// <summary>"map 'name' (Type)" for messages.</summary>
        public override string ToString() => Untyped.ToString();
    }
}
