using System;
using BpfSkeleton.Btf;
using BpfSkeleton.Elf;

namespace BpfSkeleton.Specs
{
    internal sealed partial class ObjectReader
    {
        /// <summary>
        /// Each global data section becomes one array map of one element. Variables come from the
        /// section's DATASEC, with offsets taken from the ELF symbols as libbpf's datasec fixup does
        /// (clang may leave DATASEC sizes and offsets zero).
        /// </summary>
        private void ReadDataSections()
        {
            foreach (var section in _dataSections)
            {
                var kind = DataKindOf(section.Name)!.Value;
                if (section.Size > DataSectionSpec.MaxImageSize)
                    throw Error(section.Name, 0, $"section of {section.Size} bytes is too large for a global data map (at most {DataSectionSpec.MaxImageSize})");
                var datasecId = 0;
                _btf?.TryFindByName(section.NameUtf8, BtfKind.Datasec, out datasecId);
                var data = section.IsNoBits
                    ? new DataSectionSpec(section.Name, kind, (int)section.Size, datasecId) // zeros, allocated when used
                    : new DataSectionSpec(section.Name, kind, CopyOf(section), datasecId);
                if (datasecId != 0) ReadVariables(_btf!, section, data);

                var map = new MapSpec(InternalMapName(section.Name), MapOrigin.GlobalData)
                {
                    Type = BpfMapType.Array,
                    KeySize = 4,
                    ValueSize = (uint)data.Size,
                    MaxEntries = 1,
                    ValueTypeId = datasecId,
                };
                map.DataSection = data;
                _spec.Maps.Add(map);
            }
        }

        /// <summary>
        /// <c>__arena</c> globals: their image and variables as for global data, kept for the one arena map
        /// the object must declare, as libbpf requires (the loader puts them at the arena's end).
        /// </summary>
        private void ReadArenaGlobals()
        {
            if (_arenaSection is not { } section) return;
            if (section.Size > DataSectionSpec.MaxImageSize)
                throw Error(section.Name, 0, $"section of {section.Size} bytes is too large for an arena (at most {DataSectionSpec.MaxImageSize})");
            MapSpec? arena = null;
            foreach (var map in _spec.Maps)
            {
                if (map.Type != BpfMapType.Arena || map.Origin != MapOrigin.Declared) continue;
                if (arena is not null)
                    throw Error(section.Name, 0, $"__arena globals need exactly one arena map, but '{arena.Name}' and '{map.Name}' are both arenas");
                arena = map;
            }
            if (arena is null)
                throw Error(section.Name, 0, "__arena globals need an arena map: declare one in SEC(\".maps\") (__uint(type, BPF_MAP_TYPE_ARENA))");

            var datasecId = 0;
            _btf?.TryFindByName(section.NameUtf8, BtfKind.Datasec, out datasecId);
            var data = section.IsNoBits
                ? new DataSectionSpec(section.Name, DataSectionKind.Arena, (int)section.Size, datasecId)
                : new DataSectionSpec(section.Name, DataSectionKind.Arena, CopyOf(section), datasecId);
            if (datasecId != 0) ReadVariables(_btf!, section, data);
            _spec.ArenaGlobals = data;
            _spec.ArenaMap = arena;
        }

        /// <summary>An initialized section's bytes (Data holds Size bytes: the parse checked the range).</summary>
        private static byte[] CopyOf(ElfSection section)
        {
            var image = UninitializedBytes.Allocate((long)section.Size);
            section.Data.Span.CopyTo(image);
            return image;
        }

        private void ReadVariables(BtfSpec btf, ElfSection section, DataSectionSpec data)
        {
            var datasec = btf.GetType(data.DatasecTypeId);
            data.Variables.Reserve(datasec.Vlen);
            for (var i = 0; i < datasec.Vlen; i++)
            {
                var info = datasec.GetVarSecInfo(i);
                var variable = btf.GetType(info.TypeId);
                if (variable.Kind != BtfKind.Var)
                    throw Error(section.Name, info.Offset, $"DATASEC '{section.Name}' entry {i} is a {variable.Kind}, not a VAR");
                var name = variable.Name;
                var symbol = FindObjectSymbol(section, name);
                var offset = symbol is null ? (long)info.Offset : (long)symbol.Value;
                var size = info.Size != 0 ? info.Size : (long)btf.ResolveSize(variable.TypeId);
                if (offset < 0 || size < 0 || offset + size > data.Size)
                    throw Error(section.Name, offset, $"variable '{name}' ({size} bytes at {offset}) lies outside the section's {data.Size} bytes");
                // __hidden globals are private to the object, as libbpf treats them (static) and bpftool omits them.
                var isGlobal = variable.VarLinkage != BtfVarLinkage.Static && symbol?.Visibility != ElfConstants.STV_HIDDEN;
                data.Variables.Add(new DataVariable(name, (int)offset, (int)size, variable.TypeId, isGlobal));
            }
            if (!IsSortedByOffset(data.Variables)) // clang emits them in order: usually nothing to sort
                data.Variables.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        }

        private static bool IsSortedByOffset(SpecList<DataVariable> variables)
        {
            for (var i = 1; i < variables.Count; i++)
                if (variables[i - 1].Offset > variables[i].Offset) return false;
            return true;
        }

        /// <summary>
        /// libbpf's internal map naming, so maps match what bpftool and libbpf show: the object name
        /// (at most 8 characters) followed by the section name, or the section name alone for
        /// custom sections like <c>.data.custom</c>; truncated to 15 characters and sanitized.
        /// </summary>
        internal string InternalMapName(string sectionName) => InternalMapName(_spec.ObjectName, sectionName);

        internal static string InternalMapName(string objectName, string sectionName)
        {
            const int ObjectNameLength = 16; // BPF_OBJ_NAME_LEN, including the NUL
            var suffixLength = Math.Max(7, sectionName.Length);
            var prefixLength = sectionName.IndexOf('.', 1) >= 0
                ? 0
                : Math.Max(0, Math.Min(ObjectNameLength - suffixLength - 1, objectName.Length));
            // One buffer for prefix, section name, truncation and sanitizing; the section name itself when that is all it is.
            var chars = new char[Math.Min(prefixLength + sectionName.Length, ObjectNameLength - 1)];
            objectName.CopyTo(0, chars, 0, prefixLength);
            sectionName.CopyTo(0, chars, prefixLength, chars.Length - prefixLength);
            var changed = false;
            for (var i = 0; i < chars.Length; i++)
                if (!(char.IsLetterOrDigit(chars[i]) && chars[i] < 128) && chars[i] != '_' && chars[i] != '.')
                {
                    chars[i] = '_';
                    changed = true;
                }
            return !changed && chars.Length == sectionName.Length ? sectionName : new string(chars);
        }
    }
}
