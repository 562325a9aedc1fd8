using BpfSkeleton.Btf;

namespace BpfSkeleton.Loading
{
    /// <summary>
    /// TYPE_MATCHES (bpf_core_types_match): a stricter, layout-aware comparison than type
    /// compatibility. Names must agree (flavor ignored) at every level; ints by size and
    /// signedness; enums when every local enumerator exists in the target with the same size;
    /// composites when every local member has a same-named matching target member; behind a
    /// pointer, a struct/union matches its forward declaration and vice versa; arrays by count.
    /// </summary>
    internal static class CoreTypesMatch
    {
        private const int MaxLevel = 32;

        public static bool Match(BtfSpec local, int localId, BtfSpec target, int targetId)
            => Match(local, localId, target, targetId, behindPointer: false, MaxLevel);

        private static bool Match(BtfSpec local, int localId, BtfSpec target, int targetId, bool behindPointer, int level)
        {
            if (level <= 0) return false;
            for (var depth = 0; depth < MaxLevel; depth++)
            {
                localId = local.SkipModifiersAndTypedefs(localId);
                targetId = target.SkipModifiersAndTypedefs(targetId);
                var l = local.GetType(localId);
                var t = target.GetType(targetId);
                if (!CoreNames.EssentialNamesMatch(local, l.NameOffset, target, t.NameOffset)) return false;

                switch (l.Kind)
                {
                    case BtfKind.Unknown:
                        return t.Kind == BtfKind.Unknown;
                    case BtfKind.Forward:
                        if (behindPointer && t.Kind != BtfKind.Forward)
                            return (t.Kind == BtfKind.Struct && !l.KindFlag) || (t.Kind == BtfKind.Union && l.KindFlag);
                        return t.Kind == BtfKind.Forward && l.KindFlag == t.KindFlag;
                    case BtfKind.Enum:
                    case BtfKind.Enum64:
                        return CoreCompat.IsAnyEnum(t.Kind) && EnumsMatch(local, l, target, t);
                    case BtfKind.Struct:
                    case BtfKind.Union:
                        if (behindPointer)
                        {
                            if (l.Kind == t.Kind) return true;
                            return t.Kind == BtfKind.Forward && (l.Kind == BtfKind.Union) == t.KindFlag;
                        }
                        return l.Kind == t.Kind && CompositesMatch(local, l, target, t, level);
                    case BtfKind.Int:
                        return t.Kind == BtfKind.Int && l.Size == t.Size && l.Int.IsSigned == t.Int.IsSigned;
                    case BtfKind.Pointer:
                        if (t.Kind != BtfKind.Pointer) return false;
                        behindPointer = true;
                        localId = l.TypeId;
                        targetId = t.TypeId;
                        continue;
                    case BtfKind.Array:
                        if (t.Kind != BtfKind.Array || l.Array.Count != t.Array.Count) return false;
                        localId = l.Array.ElementTypeId;
                        targetId = t.Array.ElementTypeId;
                        continue;
                    case BtfKind.FuncProto:
                        if (t.Kind != BtfKind.FuncProto || l.Vlen != t.Vlen) return false;
                        for (var i = 0; i < l.Vlen; i++)
                            if (!Match(local, l.GetParam(i).TypeId, target, t.GetParam(i).TypeId, behindPointer, level - 1))
                                return false;
                        localId = l.TypeId;
                        targetId = t.TypeId;
                        continue;
                    default:
                        return false;
                }
            }
            return false;
        }

        private static bool EnumsMatch(BtfSpec local, BtfType l, BtfSpec target, BtfType t)
        {
            if (l.Size != t.Size || l.Vlen > t.Vlen) return false;
            for (var i = 0; i < l.Vlen; i++)
            {
                var name = l.GetEnumValue(i).NameOffset;
                var found = false;
                for (var j = 0; j < t.Vlen && !found; j++)
                    found = CoreNames.EssentialNamesMatch(local, name, target, t.GetEnumValue(j).NameOffset);
                if (!found) return false;
            }
            return true;
        }

        private static bool CompositesMatch(BtfSpec local, BtfType l, BtfSpec target, BtfType t, int level)
        {
            if (l.Vlen > t.Vlen) return false;
            for (var i = 0; i < l.Vlen; i++)
            {
                var lm = l.GetMember(i);
                var found = false;
                for (var j = 0; j < t.Vlen && !found; j++)
                {
                    var tm = t.GetMember(j);
                    found = CoreNames.EssentialNamesMatch(local, lm.NameOffset, target, tm.NameOffset) &&
                            Match(local, lm.TypeId, target, tm.TypeId, behindPointer: false, level - 1);
                }
                if (!found) return false;
            }
            return true;
        }
    }
}
