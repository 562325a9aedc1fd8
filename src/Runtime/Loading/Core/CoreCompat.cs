using BpfSkeleton.Btf;

namespace BpfSkeleton
{
    /// <summary>libbpf's CO-RE compatibility rules between a local and a target type.</summary>
    internal static class CoreCompat
    {
        /// <summary>
        /// Field types are compatible when their kinds agree: any int/enum with any int/enum, pointers
        /// with pointers, arrays by element, composites by name (essential name, flavor stripped).
        /// </summary>
        public static bool FieldsCompatible(BtfSpec local, int localId, BtfSpec target, int targetId, int depth = 0)
        {
            if (depth > 16) return false;
            var l = local.GetType(local.SkipModifiersAndTypedefs(localId));
            var t = target.GetType(target.SkipModifiersAndTypedefs(targetId));
            if (IsIntLike(l.Kind) && IsIntLike(t.Kind)) return true;
            if (l.Kind != t.Kind)
            {
                // A forward declaration stands for the struct/union of the same name.
                var composites = l.Kind is BtfKind.Struct or BtfKind.Union or BtfKind.Forward &&
                                 t.Kind is BtfKind.Struct or BtfKind.Union or BtfKind.Forward;
                return composites && (l.Kind == BtfKind.Forward || t.Kind == BtfKind.Forward) &&
                       EssentialName(l.Name) == EssentialName(t.Name);
            }
            return l.Kind switch
            {
                BtfKind.Pointer => true,
                BtfKind.Float => l.Size == t.Size,
                BtfKind.Array => FieldsCompatible(local, l.Array.ElementTypeId, target, t.Array.ElementTypeId, depth + 1),
                BtfKind.Struct or BtfKind.Union => EssentialName(l.Name) == EssentialName(t.Name),
                _ => true,
            };
        }

        /// <summary>Type-relocation compatibility: same kind, pointers/arrays/func protos recursively.</summary>
        public static bool TypesCompatible(BtfSpec local, int localId, BtfSpec target, int targetId, int depth = 0)
        {
            if (depth > 16) return false;
            var l = local.GetType(local.SkipModifiersAndTypedefs(localId));
            var t = target.GetType(target.SkipModifiersAndTypedefs(targetId));
            if (l.Kind != t.Kind) return false;
            switch (l.Kind)
            {
                case BtfKind.Pointer:
                    return TypesCompatible(local, l.TypeId, target, t.TypeId, depth + 1);
                case BtfKind.Array:
                    return TypesCompatible(local, l.Array.ElementTypeId, target, t.Array.ElementTypeId, depth + 1);
                case BtfKind.FuncProto:
                    if (l.Vlen != t.Vlen || !TypesCompatible(local, l.TypeId, target, t.TypeId, depth + 1)) return false;
                    for (var i = 0; i < l.Vlen; i++)
                        if (!TypesCompatible(local, l.GetParam(i).TypeId, target, t.GetParam(i).TypeId, depth + 1)) return false;
                    return true;
                default:
                    return true;
            }
        }

        public static bool IsIntLike(BtfKind kind) => kind is BtfKind.Int or BtfKind.Enum or BtfKind.Enum64;

        /// <summary>The name without a <c>___flavor</c> suffix, as CO-RE candidate search compares names.</summary>
        public static string EssentialName(string name)
        {
            var flavor = name.IndexOf("___", System.StringComparison.Ordinal);
            return flavor > 0 ? name.Substring(0, flavor) : name;
        }
    }
}
