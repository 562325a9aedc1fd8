using System;
using BpfSkeleton.Btf;

namespace BpfSkeleton.Loading
{
    /// <summary>
    /// libbpf's CO-RE compatibility rules (relo_core.c): which target field may stand for a local
    /// field, and which target type for a local type in type-based relocations and typed ksyms.
    /// </summary>
    internal static class CoreCompat
    {
        private const int MaxDepth = 32;

        public static bool IsAnyEnum(BtfKind kind) => kind is BtfKind.Enum or BtfKind.Enum64;

        /// <summary>Same kind, except that ENUM and ENUM64 stand for each other.</summary>
        public static bool KindsCompatible(BtfKind a, BtfKind b) => a == b || (IsAnyEnum(a) && IsAnyEnum(b));

        /// <summary>
        /// bpf_core_fields_are_compat: any two composites (their members are matched by the next
        /// accessor); pointers and floats by kind; enums/forwards by essential name (or anonymous);
        /// integers unless either is an old-style bitfield int; arrays by element.
        /// </summary>
        public static bool FieldsCompatible(BtfSpec local, int localId, BtfSpec target, int targetId)
        {
            for (var depth = 0; depth < MaxDepth; depth++)
            {
                var l = local.GetType(local.SkipModifiersAndTypedefs(localId));
                var t = target.GetType(target.SkipModifiersAndTypedefs(targetId));
                if (IsComposite(l.Kind) && IsComposite(t.Kind)) return true;
                if (!KindsCompatible(l.Kind, t.Kind)) return false;
                switch (l.Kind)
                {
                    case BtfKind.Pointer:
                    case BtfKind.Float:
                        return true;
                    case BtfKind.Forward:
                    case BtfKind.Enum:
                    case BtfKind.Enum64:
                    {
                        var ln = CoreNames.Essential(CoreNames.Bytes(local, l.NameOffset));
                        var tn = CoreNames.Essential(CoreNames.Bytes(target, t.NameOffset));
                        return ln.IsEmpty || tn.IsEmpty || ln.SequenceEqual(tn);
                    }
                    case BtfKind.Int:
                        return l.Int.Offset == 0 && t.Int.Offset == 0;
                    case BtfKind.Array:
                        localId = l.Array.ElementTypeId;
                        targetId = t.Array.ElementTypeId;
                        continue;
                    default:
                        return false;
                }
            }
            return false;
        }

        /// <summary>
        /// bpf_core_types_are_compat: the roots' kinds agree (before modifiers are skipped), then
        /// structs/unions/enums/forwards/void by kind alone, ints unless bitfield-like, pointers and
        /// arrays by what they point to, function prototypes by every parameter and the return type.
        /// </summary>
        public static bool TypesCompatible(BtfSpec local, int localId, BtfSpec target, int targetId, int level = MaxDepth)
        {
            if (!KindsCompatible(local.GetKind(localId), target.GetKind(targetId))) return false;
            for (var depth = 0; depth < MaxDepth; depth++)
            {
                localId = local.SkipModifiersAndTypedefs(localId);
                targetId = target.SkipModifiersAndTypedefs(targetId);
                var l = local.GetType(localId);
                var t = target.GetType(targetId);
                if (!KindsCompatible(l.Kind, t.Kind)) return false;
                switch (l.Kind)
                {
                    case BtfKind.Unknown:
                    case BtfKind.Struct:
                    case BtfKind.Union:
                    case BtfKind.Enum:
                    case BtfKind.Enum64:
                    case BtfKind.Forward:
                        return true;
                    case BtfKind.Int:
                        return l.Int.Offset == 0 && t.Int.Offset == 0;
                    case BtfKind.Pointer:
                        localId = l.TypeId;
                        targetId = t.TypeId;
                        continue;
                    case BtfKind.Array:
                        localId = l.Array.ElementTypeId;
                        targetId = t.Array.ElementTypeId;
                        continue;
                    case BtfKind.FuncProto:
                        if (l.Vlen != t.Vlen) return false;
                        for (var i = 0; i < l.Vlen; i++)
                        {
                            if (level <= 0) return false;
                            if (!TypesCompatible(local, local.SkipModifiersAndTypedefs(l.GetParam(i).TypeId),
                                    target, target.SkipModifiersAndTypedefs(t.GetParam(i).TypeId), level - 1))
                                return false;
                        }
                        localId = l.TypeId;
                        targetId = t.TypeId;
                        continue;
                    default:
                        return false;
                }
            }
            return false;
        }

        public static bool IsComposite(BtfKind kind) => kind is BtfKind.Struct or BtfKind.Union;
    }
}
