using System;

namespace BpfSkeleton.Generator.Model
{
    /// <summary>Object bytes compared by content; the hash is computed once because the bytes can be large.</summary>
    internal sealed class EquatableBytes : IEquatable<EquatableBytes>
    {
        private readonly byte[] _bytes;
        private readonly int _hash;

        public EquatableBytes(byte[] bytes)
        {
            _bytes = bytes;
            var hash = unchecked((int)2166136261);
            foreach (var b in bytes)
                hash = unchecked((hash ^ b) * 16777619);
            _hash = hash;
        }

        public int Length => _bytes.Length;

        public ReadOnlySpan<byte> Span => _bytes;

        public bool Equals(EquatableBytes? other)
            => other is not null && _hash == other._hash && _bytes.AsSpan().SequenceEqual(other._bytes);

        public override bool Equals(object? obj) => Equals(obj as EquatableBytes);

        public override int GetHashCode() => _hash;
    }
}
