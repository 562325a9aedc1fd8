using System;
using BpfSkeleton.Interop;

namespace BpfSkeleton.Kernel
{
    public sealed unsafe partial class BpfMap
    {
        /// <summary>
        /// Enumerates the keys with BPF_MAP_GET_NEXT_KEY, without allocating. Concurrent deletes can
        /// make the kernel restart from the first key, as with any GET_NEXT_KEY walk.
        /// </summary>
        public KeyEnumerable<TKey> Keys<TKey>() where TKey : unmanaged
        {
            CheckKey<TKey>();
            return new KeyEnumerable<TKey>(this);
        }

        /// <summary>Writes the key after <paramref name="key"/> (or the first key when <paramref name="key"/> is empty); false at the end.</summary>
        public bool TryGetNextKey(ReadOnlySpan<byte> key, Span<byte> nextKey)
        {
            if ((!key.IsEmpty && key.Length != KeySize) || nextKey.Length < KeySize)
                throw new ArgumentException($"{this} has {KeySize}-byte keys.");
            fixed (byte* k = key)
            fixed (byte* n = nextKey)
                return LookupResult(ElementCall(BpfCommand.MapGetNextKey, key.IsEmpty ? null : k, n, 0), "get next key of");
        }

        /// <summary>
        /// The keys of a map as a <c>foreach</c> source; returned by <see cref="Keys{TKey}"/>. Each enumeration starts again from the first key.
        /// </summary>
        public readonly struct KeyEnumerable<TKey> where TKey : unmanaged
        {
            private readonly BpfMap _map;

            internal KeyEnumerable(BpfMap map) => _map = map;

            /// <summary>Starts a walk from the first key.</summary>
            public KeyEnumerator<TKey> GetEnumerator() => new(_map);
        }

        /// <summary>Walks the keys with BPF_MAP_GET_NEXT_KEY, one system call per key; allocates nothing.</summary>
        public struct KeyEnumerator<TKey> where TKey : unmanaged
        {
            private readonly BpfMap _map;
            private TKey _current;
            private bool _started;
            private bool _finished;

            internal KeyEnumerator(BpfMap map)
            {
                _map = map;
                _current = default;
                _started = false;
                _finished = false;
            }

            /// <summary>The key the last successful <see cref="MoveNext"/> read.</summary>
            public readonly TKey Current => _current;

            /// <summary>Reads the next key; false after the last one. Throws <see cref="BpfException"/> when the kernel refuses the walk.</summary>
            public bool MoveNext()
            {
                if (_finished)
                    return false;
                TKey next;
                fixed (TKey* previous = &_current)
                {
                    int result = _map.ElementCall(BpfCommand.MapGetNextKey, _started ? previous : null, &next, 0);
                    _started = true;
                    if (!_map.LookupResult(result, "get next key of"))
                    {
                        _finished = true;
                        return false;
                    }
                }
                _current = next;
                return true;
            }
        }
    }
}
