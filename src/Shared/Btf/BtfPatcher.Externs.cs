namespace BpfSkeleton.Btf
{
    internal partial class BtfPatcher
    {
        /// <summary>Appends a VAR of <paramref name="typeId"/> (as libbpf's btf__add_var) and returns its id.</summary>
        public int AddVar(string name, int typeId, BtfVarLinkage linkage)
        {
            uint nameOffset = AddString(name);
            AppendU32(_newTypes, nameOffset);
            AppendU32(_newTypes, (uint)BtfKind.Var << 24);
            AppendU32(_newTypes, (uint)typeId);
            AppendU32(_newTypes, (uint)linkage);
            _newTypeCount++;
            return _spec.TypeCount + _newTypeCount;
        }

        /// <summary>Appends an ARRAY of <paramref name="count"/> elements (as libbpf's btf__add_array) and returns its id.</summary>
        public int AddArray(int elementTypeId, int indexTypeId, uint count)
        {
            AppendU32(_newTypes, 0);
            AppendU32(_newTypes, (uint)BtfKind.Array << 24);
            AppendU32(_newTypes, 0);
            AppendU32(_newTypes, (uint)elementTypeId);
            AppendU32(_newTypes, (uint)indexTypeId);
            AppendU32(_newTypes, count);
            _newTypeCount++;
            return _spec.TypeCount + _newTypeCount;
        }

        /// <summary>Changes the type a VAR refers to (extern ksyms become plain ints for the kernel).</summary>
        public void SetVarType(int varId, int typeId)
            => Write(Own(varId, BtfKind.Var).RecordOffset + 8, (uint)typeId);

        /// <summary>Names a FUNC_PROTO parameter (the kernel rejects unnamed parameters of global functions).</summary>
        public void SetParamNameOffset(int protoId, int index, uint nameOffset)
        {
            BtfType t = Own(protoId, BtfKind.FuncProto);
            if ((uint)index >= (uint)t.Vlen)
                throw new System.ArgumentOutOfRangeException(nameof(index), index, $"FUNC_PROTO {protoId} has {t.Vlen} parameters");
            Write(t.RecordOffset + 12 + index * 8, nameOffset);
        }

        /// <summary>Points a DATASEC entry at another VAR and sets its placement (extern ksym layout).</summary>
        public void SetVarSecInfo(int datasecId, int index, uint offset, uint size, int varTypeId)
        {
            SetVarSecInfo(datasecId, index, offset, size);
            var record = Own(datasecId);
            var entry = record.RecordOffset + 12 + index * 12;
            Write(entry, (uint)varTypeId);
        }
    }
}
