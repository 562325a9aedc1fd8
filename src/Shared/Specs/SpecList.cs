using System.Collections;
using System.Collections.Generic;

namespace BpfSkeleton.Specs
{
    /// <summary>
    /// A spec's list as its readers see it: read-only, because what an opened object holds is decided at open
    /// (a program added to an opened object's spec would be silently ignored). foreach takes no allocation.
    /// It keeps its own array rather than a List&lt;T&gt;: a list of the specs' record structs is generic code of
    /// the framework's, which ReadyToRun cannot precompile into this assembly, so every process would JIT it
    /// while opening its first object; this type's code is this assembly's own and is precompiled.
    /// </summary>
    public sealed class SpecList<T> : IReadOnlyList<T>
    {
        private T[]? _items; // allocated on the first Add: many spec lists stay empty
        private int _count;

        /// <summary>How many items the list holds.</summary>
        public int Count => _count;

        /// <summary>The item at <paramref name="index"/>.</summary>
        public T this[int index]
        {
            get
            {
                if ((uint)index >= (uint)_count)
                    throw new System.ArgumentOutOfRangeException(nameof(index), index, $"the list holds {_count} items");
                return _items![index];
            }
        }

        /// <summary>A struct enumerator: foreach over a spec list allocates nothing.</summary>
        public Enumerator GetEnumerator() => new Enumerator(this);

        IEnumerator<T> IEnumerable<T>.GetEnumerator() => new Enumerator(this);

        IEnumerator IEnumerable.GetEnumerator() => new Enumerator(this);

        internal void Add(T item)
        {
            if (_items is null || _count == _items.Length)
                Resize(_count * 2);
            _items![_count++] = item;
        }

        /// <summary>Room for <paramref name="more"/> items beyond those held: the reader knows counts before it adds.</summary>
        internal void Reserve(int more)
        {
            if ((_items?.Length ?? 0) - _count < more)
                Resize(_count + more);
        }

        internal void Set(int index, T item)
        {
            if ((uint)index >= (uint)_count)
                throw new System.ArgumentOutOfRangeException(nameof(index), index, $"the list holds {_count} items");
            _items![index] = item;
        }

        internal void RemoveAll(System.Predicate<T> match)
        {
            if (_items is null)
                return;
            int kept = 0;
            for (int i = 0; i < _count; i++)
            {
                if (!match(_items[i]))
                    _items[kept++] = _items[i];
            }
            System.Array.Clear(_items, kept, _count - kept);
            _count = kept;
        }

        internal void Sort(System.Comparison<T> comparison)
        {
            // Stable, and this assembly's own code (see the class comment); the lists sorted here are short.
            T[]? items = _items;
            for (int i = 1; i < _count; i++)
            {
                T item = items![i];
                int at = i - 1;
                while (at >= 0 && comparison(items[at], item) > 0)
                {
                    items[at + 1] = items[at];
                    at--;
                }
                items[at + 1] = item;
            }
        }

        private void Resize(int capacity)
        {
            // Array.Copy of an array, not Array.Resize<T>: no generic framework method to JIT.
            var grown = new T[System.Math.Max(capacity, 4)];
            if (_items is not null)
                System.Array.Copy(_items, grown, _count);
            _items = grown;
        }

        /// <summary>Enumerates a spec list without allocating (when used by foreach on the list itself).</summary>
        public struct Enumerator : IEnumerator<T>
        {
            private readonly SpecList<T> _list;
            private int _index;

            internal Enumerator(SpecList<T> list)
            {
                _list = list;
                _index = -1;
            }

            /// <summary>The item at the enumerator's position.</summary>
            public T Current => _list._items![_index];

            object? IEnumerator.Current => Current;

            /// <summary>Moves to the next item; false past the last.</summary>
            public bool MoveNext() => ++_index < _list._count;

            /// <summary>Back before the first item.</summary>
            public void Reset() => _index = -1;

            /// <summary>Nothing to release.</summary>
            public void Dispose()
            {
            }
        }
    }

    /// <summary>
    /// Who may edit an opened object's specs: the object, which refuses edits once loaded with the message its
    /// own setters give. Specs nobody opened (a copy the user builds or parses) are edited freely.
    /// </summary>
    internal sealed class SpecEditGuard
    {
        internal static readonly SpecEditGuard None = new SpecEditGuard();

        internal System.Action<string>? Check { get; set; }

        internal bool IsActive => Check is not null;

        /// <summary>Asks the owner about an edit of "<paramref name="prefix"/>'<paramref name="name"/>'<paramref name="suffix"/>"; the text is built only when someone asks (the reader sets specs through the same setters, unguarded).</summary>
        internal void BeforeEdit(string prefix, string name, string suffix)
        {
            if (Check is { } check)
                check(prefix + "'" + name + "'" + suffix);
        }
    }
}
