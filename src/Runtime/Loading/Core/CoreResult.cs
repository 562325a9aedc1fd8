using BpfSkeleton.Btf;

namespace BpfSkeleton.Loading
{
    /// <summary>
    /// What one relocation computes (libbpf's bpf_core_relo_res): the value the compiler put in the
    /// instruction (checked when unambiguous) and the one to write, or poison; for field offsets
    /// also both field sizes so a load/store can be narrowed or widened.
    /// </summary>
    internal sealed class CoreResult
    {
        public ulong OriginalValue { get; set; }
        public ulong NewValue { get; set; }
        public bool Poison { get; set; }
        /// <summary>Whether the instruction must hold <see cref="OriginalValue"/> (false for bitfields, whose layout the compiler may choose).</summary>
        public bool Validate { get; set; } = true;
        public int OriginalSize { get; set; }
        public int NewSize { get; set; }
        /// <summary>The sizes differ and the field is not an unsigned int or pointer on both sides.</summary>
        public bool MemorySizeMismatch { get; set; }
        /// <summary>The target the value came from, for messages; null when no candidate matched.</summary>
        public CoreSpec? Target { get; set; }

        /// <summary>bpf_core_calc_relo: local and target values for the relocation's kind.</summary>
        public static CoreResult Calculate(CoreSpec local, CoreSpec? target)
        {
            var result = new CoreResult { Target = target };
            var kind = local.Kind;
            if (CoreSpec.IsFieldBased(kind))
            {
                var validate = true;
                if (!FieldValue(kind, local, out var original, out var originalSize, out var originalType, ref validate) ||
                    !FieldValue(kind, target, out var value, out var newSize, out var newType, ref validate, isTarget: true))
                {
                    result.Poison = true;
                    return result;
                }
                result.OriginalValue = original;
                result.NewValue = value;
                result.Validate = validate;
                result.OriginalSize = originalSize;
                result.NewSize = newSize;
                if (originalSize != newSize)
                {
                    // Narrowing a load is safe only when zero-extension keeps the value: unsigned ints, pointers.
                    var before = local.Btf.GetType(originalType);
                    var after = target!.Btf.GetType(newType);
                    var safe = (before.Kind == BtfKind.Pointer && after.Kind == BtfKind.Pointer) ||
                               (before.Kind == BtfKind.Int && after.Kind == BtfKind.Int && !before.Int.IsSigned && !after.Int.IsSigned);
                    result.MemorySizeMismatch = !safe;
                }
            }
            else if (CoreSpec.IsTypeBased(kind))
            {
                result.OriginalValue = TypeValue(kind, local);
                result.NewValue = TypeValue(kind, target);
            }
            else
            {
                result.OriginalValue = EnumValue(kind, local, out _);
                result.NewValue = EnumValue(kind, target, out var poison);
                result.Poison = poison;
            }
            return result;
        }

        /// <summary>bpf_core_calc_field_relo; false asks for poison (the field is missing in the target).</summary>
        private static bool FieldValue(BtfCoreReloKind kind, CoreSpec? spec, out ulong value, out int fieldSize, out int fieldTypeId,
            ref bool validate, bool isTarget = false)
        {
            value = 0;
            fieldSize = 0;
            fieldTypeId = 0;
            if (kind == BtfCoreReloKind.FieldExists)
            {
                value = spec is null ? 0ul : 1ul;
                return true;
            }
            if (spec is null) return false;

            var btf = spec.Btf;
            var accessor = spec.Last;
            if (!accessor.IsNamed)
            {
                // The whole root object or an array element: only offset and size make sense.
                var size = btf.ResolveSize(accessor.TypeId);
                switch (kind)
                {
                    case BtfCoreReloKind.FieldByteOffset:
                        value = (ulong)(spec.BitOffset / 8);
                        fieldSize = (int)size;
                        fieldTypeId = accessor.TypeId;
                        break;
                    case BtfCoreReloKind.FieldByteSize:
                        value = (ulong)size;
                        break;
                    default:
                        throw new CoreRelocationException($"{kind} cannot apply to an array element or whole object");
                }
                if (!isTarget) validate = true;
                return true;
            }

            var holder = btf.GetType(accessor.TypeId);
            var member = holder.GetMember(accessor.Index);
            var memberTypeId = btf.SkipModifiersAndTypedefs(member.TypeId);
            var memberType = btf.GetType(memberTypeId);
            var bitOffset = (ulong)spec.BitOffset;
            ulong bitSize = member.BitfieldSize;
            ulong byteSize, byteOffset;
            var bitfield = bitSize > 0;
            if (bitfield)
            {
                // The smallest naturally aligned load that covers the whole bitfield.
                byteSize = memberType.Size;
                // A bitfield lives in an integer or enum of 1 to 8 bytes; anything else is malformed BTF.
                if (byteSize is 0 or > 8)
                    throw new CoreRelocationException($"the bitfield's type is {byteSize} bytes, not an integer of 1 to 8");
                byteOffset = bitOffset / 8 / byteSize * byteSize;
                while (bitOffset + bitSize - byteOffset * 8 > byteSize * 8)
                {
                    if (byteSize >= 8) throw new CoreRelocationException("the bitfield cannot be read with one 64-bit load");
                    byteSize *= 2;
                    byteOffset = bitOffset / 8 / byteSize * byteSize;
                }
            }
            else
            {
                byteSize = (ulong)btf.ResolveSize(memberTypeId);
                byteOffset = bitOffset / 8;
                bitSize = byteSize * 8;
            }
            if (!isTarget) validate = !bitfield;

            switch (kind)
            {
                case BtfCoreReloKind.FieldByteOffset:
                    value = byteOffset;
                    if (!bitfield)
                    {
                        fieldSize = (int)byteSize;
                        fieldTypeId = memberTypeId;
                    }
                    break;
                case BtfCoreReloKind.FieldByteSize:
                    value = byteSize;
                    break;
                case BtfCoreReloKind.FieldSigned:
                    value = (CoreCompat.IsAnyEnum(memberType.Kind) && memberType.KindFlag) ||
                            (memberType.Kind == BtfKind.Int && memberType.Int.IsSigned) ? 1ul : 0ul;
                    if (!isTarget) validate = true;
                    break;
                case BtfCoreReloKind.FieldLShiftU64:
                    value = 64 - (bitOffset + bitSize - byteOffset * 8);
                    break;
                case BtfCoreReloKind.FieldRShiftU64:
                    value = 64 - bitSize;
                    if (!isTarget) validate = true;
                    break;
            }
            return true;
        }

        /// <summary>bpf_core_calc_type_relo: a missing target type gives 0 (never poison).</summary>
        private static ulong TypeValue(BtfCoreReloKind kind, CoreSpec? spec)
        {
            if (spec is null) return 0;
            return kind switch
            {
                BtfCoreReloKind.TypeIdTarget or BtfCoreReloKind.TypeIdLocal => (ulong)spec.RootTypeId,
                BtfCoreReloKind.TypeExists or BtfCoreReloKind.TypeMatches => 1,
                _ => (ulong)spec.Btf.ResolveSize(spec.RootTypeId),
            };
        }

        /// <summary>bpf_core_calc_enumval_relo: a missing enumerator's value poisons.</summary>
        private static ulong EnumValue(BtfCoreReloKind kind, CoreSpec? spec, out bool poison)
        {
            poison = false;
            if (kind == BtfCoreReloKind.EnumValueExists) return spec is null ? 0ul : 1ul;
            if (spec is null)
            {
                poison = true;
                return 0;
            }
            var accessor = spec.Accessors[0];
            var type = spec.Btf.GetType(accessor.TypeId);
            var value = type.GetEnumValue(accessor.Index).Value;
            // libbpf reads 32-bit enumerators as __s32: sign-extended whatever the enum's signedness.
            return type.Kind == BtfKind.Enum ? unchecked((ulong)(long)(int)value) : unchecked((ulong)value);
        }
    }
}
