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

        public uint MaxEntries
        {
            get => Untyped.MaxEntries;
            set => Untyped.MaxEntries = value;
        }

        /// <summary>The live kernel map, after load.</summary>
        public BpfMap Map => Untyped.Map;

        public bool TryLookup(in TKey key, out TValue value) => Map.TryLookup(in key, out value);

        public TValue Lookup(in TKey key) => Map.Lookup<TKey, TValue>(in key);

        public void Update(in TKey key, in TValue value, BpfMapUpdateFlags flags = BpfMapUpdateFlags.Any)
            => Map.Update(in key, in value, flags);

        public void Delete(in TKey key) => Map.Delete(in key);

        public bool TryDelete(in TKey key) => Map.TryDelete(in key);

        public override string ToString() => Untyped.ToString();
    }
}
