using System.Collections.Generic;
using BpfSkeleton.Btf;
using BpfSkeleton.Elf;

namespace BpfSkeleton.Specs
{
    internal sealed partial class ObjectReader
    {
        private Dictionary<int, IReadOnlyList<StructOpsMember>>? _structOpsMembers;

        /// <summary>
        /// Every variable of a <c>.struct_ops*</c> section is a struct_ops map named after it. Its bytes
        /// are the local data; function-pointer members are bound to programs by the section's relocations.
        /// </summary>
        private void ReadStructOps()
        {
            foreach (var section in _structOpsSections)
            {
                var btf = RequireBtf(section.Name, "a struct_ops map");
                if (!btf.TryFindByName(section.Name, BtfKind.Datasec, out var datasecId))
                    throw Error(section.Name, 0, $"no DATASEC '{section.Name}' in BTF describes the struct_ops variables");

                var datasec = btf.GetType(datasecId);
                var ranges = new List<StructOpsRange>();
                for (var i = 0; i < datasec.Vlen; i++)
                {
                    var info = datasec.GetVarSecInfo(i);
                    var variable = btf.GetType(info.TypeId);
                    if (variable.Kind != BtfKind.Var)
                        throw Error(section.Name, info.Offset, $"DATASEC entry {i} is a {variable.Kind}, not a VAR");
                    var spec = ReadStructOpsVariable(btf, section, variable, out int offset);
                    ranges.Add(new StructOpsRange(offset, spec));
                }
                BindStructOpsPrograms(section, ranges);
            }
        }

        /// <summary>A struct_ops variable as a map; <paramref name="offset"/> is where its symbol puts it in the section.</summary>
        private StructOpsSpec ReadStructOpsVariable(BtfSpec btf, ElfSection section, BtfType variable, out int offset)
        {
            var name = variable.Name;
            var structId = btf.SkipModifiersAndTypedefs(variable.TypeId);
            var type = btf.GetType(structId);
            if (type.Kind != BtfKind.Struct)
                throw Error(section.Name, 0, $"struct_ops variable '{name}' is a {type.Kind}, not a struct");
            var symbol = FindObjectSymbol(section, name)
                ?? throw Error(section.Name, 0, $"struct_ops variable '{name}' has no ELF symbol");
            // Compared as unsigned without adding: neither a huge symbol value nor a huge BTF size can wrap.
            ulong available = (ulong)section.Data.Length;
            if (symbol.Value > available || type.Size > available - symbol.Value)
                throw Error(section.Name, (long)System.Math.Min(symbol.Value, long.MaxValue),
                    $"struct_ops variable '{name}' ({type.Size} bytes at offset {symbol.Value}) lies outside the section's {available} bytes");
            var size = (int)type.Size;

            offset = (int)symbol.Value;
            var members = MembersOf(btf, structId, type, section.Name, name);
            var data = section.Data.Span.Slice((int)symbol.Value, size).ToArray();
            var spec = new StructOpsSpec(name, section.Name, type.Name, structId, data, members);
            var map = new MapSpec(name, MapOrigin.StructOps)
            {
                Type = BpfMapType.StructOps,
                KeySize = 4,
                ValueSize = (uint)size,
                MaxEntries = 1,
                ValueTypeId = structId,
                // BPF_F_LINK: the kernel registers .struct_ops.link maps only through a link.
                Flags = spec.IsLink ? 1u << 13 : 0,
                AutoCreate = !spec.IsOptional,
            };
            map.StructOps = spec;
            _spec.Maps.Add(map);
            return spec;
        }

        /// <summary>
        /// The members of a struct_ops struct, built once per type: objects usually declare several
        /// maps of one type (tcp_cc: six tcp_congestion_ops), and members never change.
        /// </summary>
        private IReadOnlyList<StructOpsMember> MembersOf(BtfSpec btf, int structId, BtfType type, string section, string variable)
        {
            _structOpsMembers ??= new Dictionary<int, IReadOnlyList<StructOpsMember>>();
            if (_structOpsMembers.TryGetValue(structId, out var known))
                return known;
            var members = new List<StructOpsMember>(type.Vlen);
            for (var m = 0; m < type.Vlen; m++)
            {
                var member = type.GetMember(m);
                var memberType = btf.GetType(btf.SkipModifiersAndTypedefs(member.TypeId));
                var kind = StructOpsMemberKind.Data;
                if (memberType.Kind == BtfKind.Pointer)
                {
                    var target = btf.GetType(btf.SkipModifiersAndTypedefs(memberType.TypeId));
                    kind = target.Kind == BtfKind.FuncProto ? StructOpsMemberKind.FunctionPointer : StructOpsMemberKind.OtherPointer;
                }
                long memberSize = member.BitfieldSize != 0 ? (member.BitfieldSize + 7) / 8 : btf.ResolveSize(member.TypeId);
                long memberOffset = member.BitOffset / 8;
                // The shadow and the loader read each member's bytes inside the variable: they must be there.
                if (memberSize < 0 || memberOffset + memberSize > type.Size)
                    throw Error(section, 0, $"struct_ops variable '{variable}': member '{member.Name}' ({memberSize} bytes at offset {memberOffset}) lies outside its {type.Size}-byte struct {type.Name}");
                members.Add(new StructOpsMember(m, member.Name, (int)memberOffset, (int)memberSize,
                    member.TypeId, kind, (int)member.BitfieldSize));
            }
            _structOpsMembers[structId] = members;
            return members;
        }

        private void BindStructOpsPrograms(ElfSection section, List<StructOpsRange> ranges)
        {
            var relocations = _elf.GetRelocationSectionFor(section);
            if (relocations is null) return;
            foreach (var relocation in _elf.ReadRelocations(relocations))
            {
                var symbol = SymbolOf(relocation, relocations.Name);
                var offset = (int)relocation.Offset;
                StructOpsSpec? owner = null;
                var ownerOffset = 0;
                foreach (var range in ranges)
                    if (offset >= range.Offset && offset < range.Offset + range.Spec.Data.Length) { owner = range.Spec; ownerOffset = range.Offset; }
                if (owner is null)
                    throw Error(section.Name, offset, $"relocation to '{symbol.Name}' is outside every struct_ops variable");

                StructOpsMember? member = null;
                var members = owner.Members;
                for (var m = 0; m < members.Count; m++) // by index: no enumerator per relocation
                    if (members[m].Offset == offset - ownerOffset) member = members[m];
                if (member is null || !member.IsFunctionPointer)
                    throw Error(section.Name, offset, $"struct_ops '{owner.Name}': relocation to '{symbol.Name}' does not target a function-pointer member");

                var program = FindFunctionByName(symbol.Name);
                if (program is null || program.IsSubprogram)
                    throw Error(section.Name, offset, $"struct_ops '{owner.Name}': member '{member.Name}' points to '{symbol.Name}', which is not a program");
                if (program.Type != BpfProgramType.StructOps)
                    throw Error(section.Name, offset,
                        $"struct_ops '{owner.Name}': member '{member.Name}' points to program '{program.Name}' in section '{program.SectionName}', which is not a struct_ops program (use SEC(\"struct_ops/...\"))");
                owner.SetProgram(member, program.Name);
            }
        }

        /// <summary>Where a struct_ops variable sits in its section (a class: see DeclaredMapRange).</summary>
        private sealed class StructOpsRange(int offset, StructOpsSpec spec)
        {
            public int Offset { get; } = offset;
            public StructOpsSpec Spec { get; } = spec;
        }
    }
}
