using System;
using System.Collections;
using System.Collections.Generic;

namespace BpfSkeleton.Loading
{
    /// <summary>
    /// A growable list of the loader's structs (CO-RE accessors and candidates, fd fixups). Not a
    /// List&lt;T&gt;: a framework generic over this assembly's structs is code ReadyToRun cannot
    /// precompile into this assembly, so each process would JIT it during its first load; this
    /// type's code is this assembly's own and is precompiled.
    /// </summary>
    internal sealed class LoaderList<T> : IReadOnlyList<T>
    {
        /// <summary>An empty list for "nothing planned", shared.</summary>
        public static readonly LoaderList<T> Empty = new(0);

        private T[] _items;
        private int _count;

        public LoaderList(int capacity = 4) => _items = new T[capacity];

        /// <inheritdoc/>
        public int Count => _count;

        /// <summary>The item at <paramref name="index"/>.</summary>
        public T this[int index]
        {
            get
            {
                if ((uint)index >= (uint)_count)
                    throw new ArgumentOutOfRangeException(nameof(index), index, $"the list holds {_count} items");
                return _items[index];
            }
            set
            {
                if ((uint)index >= (uint)_count)
                    throw new ArgumentOutOfRangeException(nameof(index), index, $"the list holds {_count} items");
                _items[index] = value;
            }
        }

        public void Add(T item)
        {
            if (_count == _items.Length)
            {
                // Array.Copy of an array, not Array.Resize<T>: no generic framework method to JIT.
                var grown = new T[Math.Max(4, _count * 2)];
                Array.Copy(_items, grown, _count);
                _items = grown;
            }
            _items[_count++] = item;
        }

        /// <summary>Keeps the first <paramref name="count"/> items and drops the rest.</summary>
        public void Truncate(int count)
        {
            if ((uint)count > (uint)_count)
                throw new ArgumentOutOfRangeException(nameof(count), count, $"the list holds {_count} items");
            Array.Clear(_items, count, _count - count);
            _count = count;
        }

        /// <summary>A struct enumerator: foreach allocates nothing.</summary>
        public Enumerator GetEnumerator() => new(this);

        IEnumerator<T> IEnumerable<T>.GetEnumerator() => new Enumerator(this);

        IEnumerator IEnumerable.GetEnumerator() => new Enumerator(this);

        /// <summary>Enumerates without allocating when used by foreach on the list itself.</summary>
        public struct Enumerator : IEnumerator<T>
        {
            private readonly LoaderList<T> _list;
            private int _index;

            internal Enumerator(LoaderList<T> list)
            {
                _list = list;
                _index = -1;
            }

            public T Current => _list._items[_index];

            object? IEnumerator.Current => Current;

            public bool MoveNext() => ++_index < _list._count;

            public void Reset() => _index = -1;

            public void Dispose()
            {
            }
        }
    }
}
