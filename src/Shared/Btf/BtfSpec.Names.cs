using System.Text;

namespace BpfSkeleton.Btf
{
    internal sealed partial class BtfSpec
    {
        /// <summary>A C-like display name: "struct foo", "unsigned int", "char[16]", "const int *", "int (*)(void *)".</summary>
        public string GetTypeName(int id)
        {
            var text = new StringBuilder();
            int budget = MaxNameParts;
            AppendTypeName(text, id, 0, ref budget);
            return text.ToString();
        }

        private const int MaxNameParts = 4096;

        private void AppendTypeName(StringBuilder text, int id, int depth, ref int budget)
        {
            if (depth > BtfLayout.MaxResolveDepth)
                throw TooDeep(id);
            // Function prototypes branch; a budget keeps crafted BTF from making this exponential.
            if (--budget < 0)
                throw Error(FileName, 0, $"type {id}: name has more than {MaxNameParts} parts");
            BtfType t = GetType(id);
            switch (t.Kind)
            {
                case BtfKind.Unknown:
                    text.Append("void");
                    break;
                case BtfKind.Struct:
                    AppendTagged(text, "struct ", t);
                    break;
                case BtfKind.Union:
                    AppendTagged(text, "union ", t);
                    break;
                case BtfKind.Enum:
                case BtfKind.Enum64:
                    AppendTagged(text, "enum ", t);
                    break;
                case BtfKind.Forward:
                    AppendTagged(text, t.KindFlag ? "union " : "struct ", t);
                    break;
                case BtfKind.Pointer:
                    if (GetType(t.TypeId).Kind == BtfKind.FuncProto)
                    {
                        AppendFuncProto(text, GetType(t.TypeId), "(*)", depth + 1, ref budget);
                        break;
                    }
                    AppendTypeName(text, t.TypeId, depth + 1, ref budget);
                    text.Append(" *");
                    break;
                case BtfKind.Array:
                    AppendArray(text, t, depth, ref budget);
                    break;
                case BtfKind.Const:
                    text.Append("const ");
                    AppendTypeName(text, t.TypeId, depth + 1, ref budget);
                    break;
                case BtfKind.Volatile:
                    text.Append("volatile ");
                    AppendTypeName(text, t.TypeId, depth + 1, ref budget);
                    break;
                case BtfKind.Restrict:
                    AppendTypeName(text, t.TypeId, depth + 1, ref budget);
                    text.Append(" restrict");
                    break;
                case BtfKind.TypeTag:
                    AppendTypeName(text, t.TypeId, depth + 1, ref budget);
                    text.Append(" __tag(").Append(t.Name).Append(')');
                    break;
                case BtfKind.FuncProto:
                    AppendFuncProto(text, t, "", depth, ref budget);
                    break;
                default: // int, float, typedef, func, var, datasec, decl_tag: their own name
                    text.Append(t.HasName ? t.Name : "(anon)");
                    break;
            }
        }

        private static void AppendTagged(StringBuilder text, string tag, BtfType t)
            => text.Append(tag).Append(t.HasName ? t.Name : "(anon)");

        private void AppendArray(StringBuilder text, BtfType t, int depth, ref int budget)
        {
            var dimensions = new StringBuilder();
            while (t.Kind == BtfKind.Array)
            {
                if (++depth > BtfLayout.MaxResolveDepth)
                    throw TooDeep(t.Id);
                BtfArray array = t.Array;
                dimensions.Append('[').Append(array.Count).Append(']');
                t = GetType(array.ElementTypeId);
            }
            AppendTypeName(text, t.Id, depth + 1, ref budget);
            text.Append(dimensions);
        }

        private void AppendFuncProto(StringBuilder text, BtfType proto, string declarator, int depth, ref int budget)
        {
            AppendTypeName(text, proto.TypeId, depth + 1, ref budget);
            text.Append(' ').Append(declarator).Append('(');
            for (int i = 0; i < proto.Vlen; i++)
            {
                if (i > 0)
                    text.Append(", ");
                BtfParam p = proto.GetParam(i);
                if (p.TypeId == 0 && i == proto.Vlen - 1)
                    text.Append("...");
                else
                    AppendTypeName(text, p.TypeId, depth + 1, ref budget);
            }
            if (proto.Vlen == 0)
                text.Append("void");
            text.Append(')');
        }
    }
}
