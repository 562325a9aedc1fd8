namespace BpfSkeleton.Btf
{
    public sealed partial class BtfPatcher
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
