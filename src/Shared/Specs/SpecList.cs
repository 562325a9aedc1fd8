using System.Collections;
using System.Collections.Generic;

namespace BpfSkeleton.Specs
{
    /// <summary>
    /// A spec's list as its readers see it: read-only, because what an opened object holds is decided at open
    /// (a program added to an opened object's spec would be silently ignored). foreach takes no allocation.
    /// </summary>
    public sealed class SpecList<T> : IReadOnlyList<T>
    {
        private readonly List<T> _items = new List<T>();

        /// <summary>The number of items.</summary>
        public int Count => _items.Count;

        /// <summary>The item at <paramref name="index"/>. Throws <see cref="System.ArgumentOutOfRangeException"/> outside 0..<see cref="Count"/>-1.</summary>
        public T this[int index] => _items[index];

        /// <summary>A struct enumerator: foreach over a spec list allocates nothing.</summary>
        public List<T>.Enumerator GetEnumerator() => _items.GetEnumerator();

        IEnumerator<T> IEnumerable<T>.GetEnumerator() => _items.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

        internal void Add(T item) => _items.Add(item);

        /// <summary>Room for <paramref name="more"/> items beyond those held: the reader knows counts before it adds.</summary>
        internal void Reserve(int more)
        {
            if (_items.Capacity - _items.Count < more) _items.Capacity = _items.Count + more;
        }

        internal void Set(int index, T item) => _items[index] = item;

        internal void RemoveAll(System.Predicate<T> match) => _items.RemoveAll(match);

        internal void Sort(System.Comparison<T> comparison) => _items.Sort(comparison);
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
