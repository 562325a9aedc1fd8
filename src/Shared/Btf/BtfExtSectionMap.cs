using System;
using System.Collections;
using System.Collections.Generic;

namespace BpfSkeleton.Btf
{
    /// <summary>
    /// .BTF.ext records by ELF section name, in the order the sections first appear. An object has a
    /// handful of sections, so two parallel arrays scanned in order cost less to build and to search
    /// than a hash table; past <see cref="ScanUpTo"/> a name index is built on first lookup.
    /// </summary>
    internal sealed class BtfExtSectionMap<T> : IReadOnlyDictionary<string, IReadOnlyList<T>>
    {
        private const int ScanUpTo = 16;

        private string[] _names = Array.Empty<string>();
        private T[][] _records = new T[0][];
        private int _count;
        private Dictionary<string, int>? _index;

        /// <summary>Adds a block's records; a section seen before gets them appended (blocks can repeat after linking).</summary>
        public void Add(string name, T[] records)
        {
            int at = IndexOf(name);
            if (at >= 0)
            {
                var merged = new T[_records[at].Length + records.Length];
                Array.Copy(_records[at], merged, _records[at].Length);
                Array.Copy(records, 0, merged, _records[at].Length, records.Length);
                _records[at] = merged;
                return;
            }
            if (_count == _names.Length)
            {
                int grown = Math.Max(4, _count * 2);
                Array.Resize(ref _names, grown);
                Array.Resize(ref _records, grown);
            }
            _names[_count] = name;
            _records[_count] = records;
            _count++;
            _index = null;
        }

        private int IndexOf(string name)
        {
            if (name is null)
                throw new ArgumentNullException(nameof(name));
            if (_count <= ScanUpTo)
            {
                for (int i = 0; i < _count; i++)
                    if (_names[i] == name) return i;
                return -1;
            }
            if (_index is null)
            {
                var index = new Dictionary<string, int>(_count);
                for (int i = 0; i < _count; i++) index[_names[i]] = i;
                _index = index;
            }
            return _index.TryGetValue(name, out int found) ? found : -1;
        }

        public int Count => _count;

        public IReadOnlyList<T> this[string key]
        {
            get
            {
                int at = IndexOf(key);
                if (at < 0) throw new KeyNotFoundException($"The given key '{key}' was not present in the dictionary.");
                return _records[at];
            }
        }

        public IEnumerable<string> Keys
        {
            get
            {
                for (int i = 0; i < _count; i++) yield return _names[i];
            }
        }

        public IEnumerable<IReadOnlyList<T>> Values
        {
            get
            {
                for (int i = 0; i < _count; i++) yield return _records[i];
            }
        }

        public bool ContainsKey(string key) => IndexOf(key) >= 0;

        public bool TryGetValue(string key, out IReadOnlyList<T> value)
        {
            bool found = TryGetRecords(key, out T[] records);
            value = records;
            return found;
        }

        /// <summary>
        /// The records as an array: indexing it directly, rather than through IReadOnlyList, leaves the
        /// runtime no interface stub over these structs to JIT-compile at start under ReadyToRun.
        /// </summary>
        public bool TryGetRecords(string key, out T[] records)
        {
            int at = IndexOf(key);
            records = at >= 0 ? _records[at] : null!;
            return at >= 0;
        }

        public IEnumerator<KeyValuePair<string, IReadOnlyList<T>>> GetEnumerator()
        {
            for (int i = 0; i < _count; i++)
                yield return new KeyValuePair<string, IReadOnlyList<T>>(_names[i], _records[i]);
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
