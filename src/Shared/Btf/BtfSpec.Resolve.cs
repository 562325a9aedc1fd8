namespace BpfSkeleton.Btf
{
    internal sealed partial class BtfSpec
    {
        /// <summary>Follows VOLATILE, CONST, RESTRICT and TYPE_TAG to the first other type.</summary>
        public int SkipModifiers(int id) => Skip(id, skipTypedefs: false);

        /// <summary>Follows modifiers and TYPEDEFs to the first other type.</summary>
        public int SkipModifiersAndTypedefs(int id) => Skip(id, skipTypedefs: true);

        private int Skip(int id, bool skipTypedefs)
        {
            for (int depth = 0; depth <= BtfLayout.MaxResolveDepth; depth++)
            {
                BtfType t = GetType(id);
                switch (t.Kind)
                {
                    case BtfKind.Volatile:
                    case BtfKind.Const:
                    case BtfKind.Restrict:
                    case BtfKind.TypeTag:
                        id = t.TypeId;
                        break;
                    case BtfKind.Typedef when skipTypedefs:
                        id = t.TypeId;
                        break;
                    default:
                        return id;
                }
            }
            throw TooDeep(id);
        }

        /// <summary>
        /// Size in bytes of a type, through typedefs, modifiers and VARs; arrays multiply, pointers
        /// are 8 bytes. Throws for unsized kinds (void, FWD, FUNC, FUNC_PROTO) and cycles.
        /// </summary>
        public long ResolveSize(int id)
        {
            int start = id;
            ulong elements = 1;
            for (int depth = 0; depth <= BtfLayout.MaxResolveDepth; depth++)
            {
                BtfType t = GetType(id);
                ulong size;
                switch (t.Kind)
                {
                    case BtfKind.Int:
                    case BtfKind.Struct:
                    case BtfKind.Union:
                    case BtfKind.Enum:
                    case BtfKind.Enum64:
                    case BtfKind.Datasec:
                    case BtfKind.Float:
                        size = t.Size;
                        break;
                    case BtfKind.Pointer:
                        size = 8;
                        break;
                    case BtfKind.Typedef:
                    case BtfKind.Volatile:
                    case BtfKind.Const:
                    case BtfKind.Restrict:
                    case BtfKind.Var:
                    case BtfKind.DeclTag:
                    case BtfKind.TypeTag:
                        id = t.TypeId;
                        continue;
                    case BtfKind.Array:
                        BtfArray array = t.Array;
                        elements *= array.Count; // both factors are at most uint.MaxValue: no wrap
                        if (elements > uint.MaxValue)
                            throw Error(FileName, 0, $"type {start}: array size overflows");
                        id = array.ElementTypeId;
                        continue;
                    default:
                        throw Error(FileName, 0, $"type {start}: cannot size {t.Kind} (type {id})");
                }
                ulong total = elements * size;
                if (total > uint.MaxValue)
                    throw Error(FileName, 0, $"type {start}: size overflows");
                return (long)total;
            }
            throw TooDeep(start);
        }

        /// <summary>Natural alignment (as libbpf's btf__align_of): 1 for packed structs.</summary>
        public int ResolveAlignment(int id)
        {
            int budget = MaxAlignmentVisits;
            return Alignment(id, 0, ref budget);
        }

        /// <summary>Members visited per alignment query: shared nested types make crafted BTF exponential otherwise.</summary>
        private const int MaxAlignmentVisits = 1 << 20;

        private int Alignment(int id, int nesting, ref int budget)
        {
            int start = id;
            for (int depth = 0; depth <= BtfLayout.MaxResolveDepth; depth++)
            {
                BtfType t = GetType(id);
                switch (t.Kind)
                {
                    case BtfKind.Int:
                    case BtfKind.Enum:
                    case BtfKind.Enum64:
                    case BtfKind.Float:
                        return (int)System.Math.Max(1u, System.Math.Min(8u, t.Size));
                    case BtfKind.Pointer:
                        return 8;
                    case BtfKind.Typedef:
                    case BtfKind.Volatile:
                    case BtfKind.Const:
                    case BtfKind.Restrict:
                    case BtfKind.TypeTag:
                        id = t.TypeId;
                        continue;
                    case BtfKind.Array:
                        id = t.Array.ElementTypeId;
                        continue;
                    case BtfKind.Struct:
                    case BtfKind.Union:
                        return CompositeAlignment(t, nesting, ref budget);
                    default:
                        throw Error(FileName, 0, $"type {start}: {t.Kind} (type {id}) has no alignment");
                }
            }
            throw TooDeep(start);
        }

        private int CompositeAlignment(BtfType t, int nesting, ref int budget)
        {
            if (nesting >= BtfLayout.MaxNestingDepth)
                throw Error(FileName, 0, $"type {t.Id}: structs nest deeper than {BtfLayout.MaxNestingDepth} (cycle?)");
            int maxAlign = 1;
            foreach (BtfMember m in t.Members)
            {
                if (--budget < 0)
                    throw Error(FileName, 0, $"type {t.Id}: more than {MaxAlignmentVisits} nested members");
                int align = Alignment(m.TypeId, nesting + 1, ref budget);
                if (align > maxAlign)
                    maxAlign = align;
                // A member off its natural alignment means the struct is packed.
                if (m.BitfieldSize == 0 && m.BitOffset % (uint)(8 * align) != 0)
                    return 1;
            }
            return t.Size % (uint)maxAlign != 0 ? 1 : maxAlign;
        }

        private BpfFormatException TooDeep(int id)
            => Error(FileName, 0, $"type {id}: reference chain longer than {BtfLayout.MaxResolveDepth} (cycle?)");
    }
}
