using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using BpfSkeleton.Handles;
using BpfSkeleton.Interop;

namespace BpfSkeleton.Kernel
{
    public sealed unsafe partial class BpfMap
    {
        // Typed operations compare sizeof(TKey)/sizeof(TValue) with the map's sizes on every call:
        // the JIT folds sizeof to a constant per instantiation, so the check costs two integer
        // compares, cheaper than any per-instantiation cache lookup, and allocates nothing.

        /// <summary>
        /// Copies the value stored under <paramref name="key"/>; false if there is none. <paramref name="flags"/>
        /// as libbpf's bpf_map_lookup_elem_flags: <see cref="BpfMapLookupFlags.Lock"/> for values holding a bpf_spin_lock.
        /// </summary>
        public bool TryLookup<TKey, TValue>(in TKey key, out TValue value, BpfMapLookupFlags flags = BpfMapLookupFlags.None)
            where TKey : unmanaged where TValue : unmanaged
        {
            CheckScalar<TKey, TValue>();
            value = default;
            fixed (TKey* k = &key)
            fixed (TValue* v = &value)
                return LookupResult(ElementCall(BpfCommand.MapLookupElem, k, v, (ulong)flags), "look up element in");
        }

        /// <summary>The value stored under <paramref name="key"/>; throws <see cref="BpfKeyNotFoundException"/> if none.</summary>
        public TValue Lookup<TKey, TValue>(in TKey key)
            where TKey : unmanaged where TValue : unmanaged
        {
            if (!TryLookup(in key, out TValue value))
                throw new BpfKeyNotFoundException($"look up element in {this}");
            return value;
        }

        /// <summary>
        /// Stores <paramref name="value"/> under <paramref name="key"/> (BPF_MAP_UPDATE_ELEM). <paramref name="flags"/>:
        /// <see cref="BpfMapUpdateFlags.NoExist"/> to only create, <see cref="BpfMapUpdateFlags.Exist"/> to only replace.
        /// Throws <see cref="ArgumentException"/> when the sizes of <typeparamref name="TKey"/> or <typeparamref name="TValue"/>
        /// differ from the map's, <see cref="BpfException"/> when the kernel refuses (E2BIG when the map is full, EEXIST/ENOENT for the flags above).
        /// </summary>
        public void Update<TKey, TValue>(in TKey key, in TValue value, BpfMapUpdateFlags flags = BpfMapUpdateFlags.Any)
            where TKey : unmanaged where TValue : unmanaged
        {
            CheckScalar<TKey, TValue>();
            fixed (TKey* k = &key)
            fixed (TValue* v = &value)
                CheckElement(ElementCall(BpfCommand.MapUpdateElem, k, v, (ulong)flags), "update element in");
        }

        /// <summary>Deletes the element; throws <see cref="BpfKeyNotFoundException"/> if there is none.</summary>
        public void Delete<TKey>(in TKey key) where TKey : unmanaged
        {
            if (!TryDelete(in key))
                throw new BpfKeyNotFoundException($"delete element from {this}");
        }

        /// <summary>Deletes the element; false if there was none.</summary>
        public bool TryDelete<TKey>(in TKey key) where TKey : unmanaged
        {
            CheckKey<TKey>();
            fixed (TKey* k = &key)
                return LookupResult(ElementCall(BpfCommand.MapDeleteElem, k, null, 0), "delete element from");
        }

        /// <summary>Removes and returns the element under <paramref name="key"/> (hash maps); false if none.</summary>
        public bool TryLookupAndDelete<TKey, TValue>(in TKey key, out TValue value)
            where TKey : unmanaged where TValue : unmanaged
        {
            CheckScalar<TKey, TValue>();
            value = default;
            fixed (TKey* k = &key)
            fixed (TValue* v = &value)
                return LookupResult(ElementCall(BpfCommand.MapLookupAndDeleteElem, k, v, 0), "look up and delete element in");
        }

        /// <summary>Queue/stack: appends a value (flags <see cref="BpfMapUpdateFlags.Exist"/> overwrites the oldest when full).</summary>
        public void Push<TValue>(in TValue value, BpfMapUpdateFlags flags = BpfMapUpdateFlags.Any) where TValue : unmanaged
        {
            CheckValue<TValue>();
            fixed (TValue* v = &value)
                CheckElement(ElementCall(BpfCommand.MapUpdateElem, null, v, (ulong)flags), "push to");
        }

        /// <summary>Queue/stack: removes and returns the next value; false when empty.</summary>
        public bool TryPop<TValue>(out TValue value) where TValue : unmanaged
        {
            CheckValue<TValue>();
            value = default;
            fixed (TValue* v = &value)
                return LookupResult(ElementCall(BpfCommand.MapLookupAndDeleteElem, null, v, 0), "pop from");
        }

        /// <summary>Queue/stack: returns the next value without removing it; false when empty.</summary>
        public bool TryPeek<TValue>(out TValue value) where TValue : unmanaged
        {
            CheckValue<TValue>();
            value = default;
            fixed (TValue* v = &value)
                return LookupResult(ElementCall(BpfCommand.MapLookupElem, null, v, 0), "peek into");
        }

        // ---- raw byte variants: value buffers of per-CPU maps hold PossibleCpus.Count * PerCpuValueStride bytes.

        /// <summary>
        /// Copies the value stored under <paramref name="key"/> into <paramref name="value"/>; false if there is none.
        /// <paramref name="key"/> is <see cref="KeySize"/> bytes, <paramref name="value"/> at least <see cref="ValueBufferSize"/> bytes (per-CPU maps: one stride per possible CPU).
        /// </summary>
        public bool TryLookup(ReadOnlySpan<byte> key, Span<byte> value)
        {
            CheckRaw(key.Length, value.Length);
            fixed (byte* k = key)
            fixed (byte* v = value)
                return LookupResult(ElementCall(BpfCommand.MapLookupElem, k, v, 0), "look up element in");
        }

        /// <summary>
        /// Stores <paramref name="value"/> (at least <see cref="ValueBufferSize"/> bytes) under <paramref name="key"/> (<see cref="KeySize"/> bytes);
        /// <paramref name="flags"/> and errors as in <see cref="Update{TKey, TValue}"/>.
        /// </summary>
        public void Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, BpfMapUpdateFlags flags = BpfMapUpdateFlags.Any)
        {
            CheckRaw(key.Length, value.Length);
            fixed (byte* k = key)
            fixed (byte* v = value)
                CheckElement(ElementCall(BpfCommand.MapUpdateElem, k, v, (ulong)flags), "update element in");
        }

        /// <summary>
        /// Deletes the element stored under <paramref name="key"/> (<see cref="KeySize"/> bytes); false if there was none. Array maps refuse deletes (EINVAL).
        /// </summary>
        public bool TryDelete(ReadOnlySpan<byte> key)
        {
            CheckRaw(key.Length, ValueBufferSize);
            fixed (byte* k = key)
                return LookupResult(ElementCall(BpfCommand.MapDeleteElem, k, null, 0), "delete element from");
        }

        /// <summary>
        /// Copies the value stored under <paramref name="key"/> into <paramref name="value"/> and removes it in one call
        /// (BPF_MAP_LOOKUP_AND_DELETE_ELEM; for queue and stack maps <paramref name="key"/> is empty); false if there was none.
        /// </summary>
        public bool TryLookupAndDelete(ReadOnlySpan<byte> key, Span<byte> value)
        {
            CheckRaw(key.Length, value.Length);
            fixed (byte* k = key)
            fixed (byte* v = value)
                return LookupResult(ElementCall(BpfCommand.MapLookupAndDeleteElem, k, v, 0), "look up and delete element in");
        }

        /// <summary>Bytes a value buffer needs: the value size, or one stride per possible CPU for per-CPU maps.</summary>
        public int ValueBufferSize => IsPerCpu ? PerCpuValueStride * PossibleCpus.Count : (int)ValueSize;

        internal int ElementCall(BpfCommand command, void* key, void* valueOrNextKey, ulong flags)
        {
            using var lease = new FdLease(Fd);
            var attr = new MapElemAttr { MapFd = lease.UFd, Key = (ulong)key, ValueOrNextKey = (ulong)valueOrNextKey, Flags = flags };
            return Sys.Bpf(command, ref attr);
        }

        /// <summary>true on success, false on ENOENT, throws otherwise.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private bool LookupResult(int result, string verb)
        {
            if (result >= 0)
                return true;
            if (result == -Errno.ENOENT)
                return false;
            ThrowElementError(result, verb);
            return false;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void CheckElement(int result, string verb)
        {
            if (result < 0)
                ThrowElementError(result, verb);
        }

        [DoesNotReturn]
        private void ThrowElementError(int result, string verb)
            => BpfErrors.Throw($"{verb} {this}", -result, BpfCallKind.Element,
                result == -Errno.EPERM && IsFrozen ? "the map is frozen" : null);

        private void CheckScalar<TKey, TValue>() where TKey : unmanaged where TValue : unmanaged
        {
            if (sizeof(TKey) != KeySize || sizeof(TValue) != ValueSize || IsPerCpu)
                ThrowTypeMismatch(typeof(TKey), sizeof(TKey), typeof(TValue), sizeof(TValue));
        }

        private void CheckKey<TKey>() where TKey : unmanaged
        {
            if (sizeof(TKey) != KeySize)
                ThrowTypeMismatch(typeof(TKey), sizeof(TKey), null, 0);
        }

        private void CheckValue<TValue>() where TValue : unmanaged
        {
            if (sizeof(TValue) != ValueSize || KeySize != 0)
                ThrowTypeMismatch(null, 0, typeof(TValue), sizeof(TValue));
        }

        private void CheckRaw(int keyLength, int valueLength)
        {
            if (keyLength != KeySize)
                throw new ArgumentException($"{this} has {KeySize}-byte keys, got {keyLength} bytes.", "key");
            if (valueLength < ValueBufferSize)
                throw new ArgumentException($"{this} needs a {ValueBufferSize}-byte value buffer, got {valueLength} bytes.", "value");
        }

        [DoesNotReturn]
        private void ThrowTypeMismatch(Type? keyType, int keySize, Type? valueType, int valueSize)
        {
            if (IsPerCpu && valueType is not null && valueSize == ValueSize)
                throw new InvalidOperationException($"{this} is per-CPU: use the PerCpu methods, which take one value per possible CPU.");
            if (keyType is null && KeySize != 0)
                throw new InvalidOperationException($"{this} has keys; push/pop/peek are for queue and stack maps.");
            string key = keyType is null ? "" : $"key {keyType.Name} is {keySize} bytes (map: {KeySize}) ";
            string value = valueType is null ? "" : $"value {valueType.Name} is {valueSize} bytes (map: {ValueSize})";
            throw new ArgumentException($"Type sizes do not match {this}: {key}{value}".TrimEnd());
        }
    }
}
