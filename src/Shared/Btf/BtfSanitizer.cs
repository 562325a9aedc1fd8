namespace BpfSkeleton.Btf
{
    /// <summary>
    /// Rewrites BTF for kernels that lack newer kinds, the way libbpf does before loading
    /// program BTF. Each rewrite keeps the record length and the type ids stable.
    /// </summary>
    internal static class BtfSanitizer
    {
        private const uint PlaceholderInt8 = 8; // BTF_INT_ENC(0, 0, 8)

        public static void Sanitize(BtfPatcher patcher, BtfFeatures supported)
        {
            BtfSpec spec = patcher.Original;
            bool hasFunc = Has(supported, BtfFeatures.Func);
            bool hasGlobalFunc = Has(supported, BtfFeatures.GlobalFunc);
            bool hasDatasec = Has(supported, BtfFeatures.Datasec);
            bool hasFloat = Has(supported, BtfFeatures.Float);
            bool hasDeclTag = Has(supported, BtfFeatures.DeclTag);
            bool hasTypeTag = Has(supported, BtfFeatures.TypeTag);
            bool hasEnum64 = Has(supported, BtfFeatures.Enum64);
            bool hasQmarkDatasec = Has(supported, BtfFeatures.QmarkDatasec);
            if (!Has(supported, BtfFeatures.Layout))
                patcher.DropLayout();
            // A current kernel takes every kind: nothing below would rewrite a byte, so skip the walk.
            if (Has(supported, BtfFeatures.All & ~BtfFeatures.Layout))
                return;

            int enum64Placeholder = 0;
            for (int id = spec.FirstTypeId; id <= spec.TypeCount; id++)
            {
                BtfType t = spec.GetType(id);
                int at = t.RecordOffset;
                int vlen = patcher.CurrentVlen(t); // earlier patches win over the original bytes
                switch (patcher.CurrentKind(t))
                {
                    case BtfKind.Var when !hasDatasec:
                    case BtfKind.DeclTag when !hasDeclTag:
                        // A 1-byte INT is always valid, whatever the variable's real size.
                        patcher.SetInfo(t, BtfKind.Int, false, 0);
                        patcher.Write(at + 8, 1);
                        patcher.Write(at + 12, PlaceholderInt8);
                        break;
                    case BtfKind.Datasec when !hasDatasec:
                        DatasecToStruct(patcher, spec, t, vlen);
                        break;
                    case BtfKind.Datasec when !hasQmarkDatasec:
                        patcher.MapString(patcher.CurrentNameOffset(t), (i, b) => i == 0 && b == (byte)'?' ? (byte)'_' : b);
                        break;
                    case BtfKind.FuncProto when !hasFunc:
                        patcher.SetInfo(t, BtfKind.Enum, false, vlen);
                        patcher.Write(at + 8, 4); // the kernel insists on 4-byte enums
                        break;
                    case BtfKind.Func when !hasFunc:
                        patcher.SetInfo(t, BtfKind.Typedef, false, 0);
                        break;
                    case BtfKind.Func when !hasGlobalFunc:
                        patcher.SetInfo(t, BtfKind.Func, false, (int)BtfFuncLinkage.Static);
                        break;
                    case BtfKind.Float when !hasFloat:
                        // "float" is not a valid struct name in C, so the stand-in is anonymous.
                        patcher.Write(at, 0);
                        patcher.SetInfo(t, BtfKind.Struct, false, 0);
                        break;
                    case BtfKind.TypeTag when !hasTypeTag:
                        patcher.Write(at, 0);
                        patcher.SetInfo(t, BtfKind.Const, false, 0);
                        break;
                    case BtfKind.Enum when !hasEnum64:
                        patcher.SetInfo(t, BtfKind.Enum, false, vlen); // signedness flag came with ENUM64
                        break;
                    case BtfKind.Enum64 when !hasEnum64:
                        if (enum64Placeholder == 0)
                            enum64Placeholder = patcher.AddInt("enum64_placeholder", 1, BtfIntFlags.None);
                        patcher.SetInfo(t, BtfKind.Union, false, vlen);
                        for (int i = 0; i < vlen; i++)
                        {
                            int member = at + 12 + i * 12; // name_off stays; lo32/hi32 become type/offset
                            patcher.Write(member + 4, (uint)enum64Placeholder);
                            patcher.Write(member + 8, 0);
                        }
                        break;
                }
            }
        }

        private static void DatasecToStruct(BtfPatcher patcher, BtfSpec spec, BtfType t, int vlen)
        {
            patcher.MapString(patcher.CurrentNameOffset(t), (_, b) => b == (byte)'.' || b == (byte)'?' ? (byte)'_' : b);
            for (int i = 0; i < vlen; i++)
            {
                int member = t.RecordOffset + 12 + i * 12;
                // Read the (possibly fixed-up) var_secinfo before overwriting the same 12 bytes.
                uint varId = patcher.Read(member);
                uint offset = patcher.Read(member + 4);
                if (offset > uint.MaxValue / 8)
                    throw BtfSpec.Error(spec.FileName, 0, $"DATASEC {t.Id}: variable {i} offset {offset} does not fit a member bit offset");
                uint varName = patcher.CurrentNameOffset(spec.GetType(unchecked((int)varId)));
                patcher.Write(member, varName);
                patcher.Write(member + 4, varId);
                patcher.Write(member + 8, offset * 8);
            }
            patcher.SetInfo(t, BtfKind.Struct, false, vlen);
        }

        private static bool Has(BtfFeatures supported, BtfFeatures feature) => (supported & feature) == feature;
    }
}
