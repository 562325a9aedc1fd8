using System.Collections.Generic;
using BpfSkeleton.Btf;
using BpfSkeleton.Elf;

namespace BpfSkeleton.Specs
{
    internal sealed partial class ObjectReader
    {
        // BTF-defined map variables in .maps by their byte range, for relocations into .maps. A class,
        // not a tuple: a list of references shares the runtime's precompiled code, where a list of a
        // struct is JIT-compiled at start even when this assembly is precompiled (ReadyToRun).
        private readonly List<DeclaredMapRange> _declaredMapRanges = new List<DeclaredMapRange>();

        private sealed class DeclaredMapRange(int offset, int size, MapSpec map, int valuesOffset)
        {
            public int Offset { get; } = offset;
            public int Size { get; } = size;
            public MapSpec Map { get; } = map;
            public int ValuesOffset { get; } = valuesOffset;
        }

        /// <summary>
        /// BTF-defined maps: each VAR of the <c>.maps</c> DATASEC is a struct whose members encode the
        /// definition (<c>__uint</c> as pointer-to-array length, <c>__type</c> as pointer-to-type,
        /// <c>__array</c> as array of pointers to an inner definition).
        /// </summary>
        private void ReadDeclaredMaps()
        {
            if (_mapsSection is null) return;
            var btf = RequireBtf(".maps", "a BTF-defined map in .maps");
            if (!btf.TryFindByName(_mapsSection.NameUtf8, BtfKind.Datasec, out var datasecId))
                throw Error(".maps", 0, "no DATASEC '.maps' in BTF describes the map definitions");

            var datasec = btf.GetType(datasecId);
            for (var i = 0; i < datasec.Vlen; i++)
            {
                var info = datasec.GetVarSecInfo(i);
                var variable = btf.GetType(info.TypeId);
                if (variable.Kind != BtfKind.Var)
                    throw Error(".maps", info.Offset, $"DATASEC '.maps' entry {i} is a {variable.Kind}, not a VAR");
                var name = variable.Name;
                var symbol = FindObjectSymbol(_mapsSection, name);
                var offset = symbol is null ? (int)info.Offset : (int)symbol.Value;

                var map = new MapSpec(name, MapOrigin.Declared);
                var valuesOffset = ParseMapDefinition(btf, map, variable.TypeId, name, isInner: false);
                _spec.Maps.Add(map);
                _declaredMapRanges.Add(new DeclaredMapRange(offset, (int)info.Size, map, valuesOffset));
            }
            ReadInitialSlots(btf);
        }

        /// <summary>Fills a map spec from a definition struct; returns the byte offset of its <c>values</c> member or -1.</summary>
        private int ParseMapDefinition(BtfSpec btf, MapSpec map, int definitionTypeId, string mapName, bool isInner)
        {
            var definition = btf.GetType(btf.SkipModifiersAndTypedefs(definitionTypeId));
            if (definition.Kind != BtfKind.Struct)
                throw Error(".maps", 0, $"map '{mapName}': definition is a {definition.Kind}, not a struct");

            var valuesOffset = -1;
            int valueArrayMember = -1;
            for (var m = 0; m < definition.Vlen; m++)
            {
                var member = definition.GetMember(m);
                switch (MapDefinitionMembers.Identify(member.NameUtf8))
                {
                    case MapDefinitionMember.Type: map.Type = (BpfMapType)UintMember(btf, member, mapName); break;
                    case MapDefinitionMember.MaxEntries: map.MaxEntries = UintMember(btf, member, mapName); break;
                    case MapDefinitionMember.MapFlags: map.Flags = UintMember(btf, member, mapName); break;
                    case MapDefinitionMember.NumaNode: map.NumaNode = UintMember(btf, member, mapName); break;
                    case MapDefinitionMember.KeySize: map.KeySize = UintMember(btf, member, mapName); break;
                    case MapDefinitionMember.ValueSize: map.ValueSize = UintMember(btf, member, mapName); break;
                    case MapDefinitionMember.MapExtra: map.MapExtra = LongMember(btf, member, mapName); break;
                    case MapDefinitionMember.Pinning:
                        var pinning = UintMember(btf, member, mapName);
                        if (pinning > (uint)MapPinning.ByName)
                            throw Error(".maps", 0, $"map '{mapName}': pinning {pinning} is not supported (use LIBBPF_PIN_NONE or LIBBPF_PIN_BY_NAME)");
                        map.Pinning = (MapPinning)pinning;
                        break;
                    case MapDefinitionMember.Key:
                        map.KeyTypeId = PointeeOf(btf, member, mapName);
                        map.KeySize = CheckedSize(btf, map.KeyTypeId, mapName, "key");
                        break;
                    case MapDefinitionMember.Value:
                        map.ValueTypeId = PointeeOf(btf, member, mapName);
                        map.ValueSize = CheckedSize(btf, map.ValueTypeId, mapName, "value");
                        break;
                    case MapDefinitionMember.Values:
                        if (isInner)
                            throw Error(".maps", 0, $"map '{mapName}': an inner map cannot itself hold 'values'");
                        valueArrayMember = m;
                        valuesOffset = (int)(member.BitOffset / 8);
                        break;
                    default:
                        throw Error(".maps", 0, $"map '{mapName}': unknown definition member '{member.Name}'");
                }
            }

            if (valueArrayMember >= 0)
                ParseValuesMember(btf, map, definition.GetMember(valueArrayMember), mapName);
            return valuesOffset;
        }

        /// <summary><c>__array(values, T)</c>: for map-in-map, T is the inner definition; for prog arrays, a func proto.</summary>
        private void ParseValuesMember(BtfSpec btf, MapSpec map, BtfMember member, string mapName)
        {
            var array = btf.GetType(btf.SkipModifiersAndTypedefs(member.TypeId));
            if (array.Kind != BtfKind.Array)
                throw Error(".maps", 0, $"map '{mapName}': 'values' must be an array of pointers (use __array)");
            var pointer = btf.GetType(btf.SkipModifiersAndTypedefs(array.Array.ElementTypeId));
            if (pointer.Kind != BtfKind.Pointer)
                throw Error(".maps", 0, $"map '{mapName}': 'values' elements must be pointers (use __array)");
            var target = btf.GetType(btf.SkipModifiersAndTypedefs(pointer.TypeId));

            if (map.Type == BpfMapType.ArrayOfMaps || map.Type == BpfMapType.HashOfMaps)
            {
                if (target.Kind != BtfKind.Struct)
                    throw Error(".maps", 0, $"map '{mapName}': inner map definition must be a struct");
                var inner = new MapSpec(mapName + ".inner", MapOrigin.InnerTemplate);
                ParseMapDefinition(btf, inner, target.Id, mapName + ".inner", isInner: true);
                map.InnerMap = inner;
                map.ValueSize = 4;
            }
            else if (map.Type == BpfMapType.ProgArray)
            {
                if (target.Kind != BtfKind.FuncProto)
                    throw Error(".maps", 0, $"map '{mapName}': prog array 'values' must point to functions");
                map.ValueSize = 4;
            }
            else
            {
                throw Error(".maps", 0, $"map '{mapName}': 'values' is only allowed for map-in-map and prog array maps, not {map.Type}");
            }
            if (map.KeySize == 0) map.KeySize = 4;
        }

        private uint UintMember(BtfSpec btf, BtfMember member, string mapName)
        {
            var pointer = btf.GetType(btf.SkipModifiersAndTypedefs(member.TypeId));
            if (pointer.Kind != BtfKind.Pointer)
                throw Error(".maps", 0, $"map '{mapName}': member '{member.Name}' must be declared with __uint (a pointer to an array), found {pointer.Kind}");
            var array = btf.GetType(pointer.TypeId);
            if (array.Kind != BtfKind.Array)
                throw Error(".maps", 0, $"map '{mapName}': member '{member.Name}' must be declared with __uint (a pointer to an array), found pointer to {array.Kind}");
            return array.Array.Count;
        }

        /// <summary>
        /// A 64-bit attribute (map_extra): <c>__uint</c> as for the others, or <c>__ulong</c>, an enum of one
        /// value (ENUM64 when the value needs it), as libbpf accepts. An ENUM's value is sign-extended only
        /// when BTF marks it signed.
        /// </summary>
        private ulong LongMember(BtfSpec btf, BtfMember member, string mapName)
        {
            var type = btf.GetType(btf.SkipModifiersAndTypedefs(member.TypeId));
            if (type.Kind == BtfKind.Pointer)
                return UintMember(btf, member, mapName);
            if (type.Kind is not (BtfKind.Enum or BtfKind.Enum64))
                throw Error(".maps", 0, $"map '{mapName}': member '{member.Name}' must be declared with __uint or __ulong, found {type.Kind}");
            if (type.Vlen != 1)
                throw Error(".maps", 0, $"map '{mapName}': member '{member.Name}' is an enum of {type.Vlen} values; __ulong declares exactly one");
            // Compilers before ENUM64 (clang < 15) store an 8-byte enum's value cut to 32 bits: refuse to guess.
            if (type.Kind == BtfKind.Enum && type.Size > 4)
                throw Error(".maps", 0, $"map '{mapName}': member '{member.Name}' is a 64-bit __ulong that this compiler recorded as a 32-bit ENUM (its value is cut); build with clang 15 or newer, or use __uint for a value below 2^32");
            return unchecked((ulong)type.GetEnumValue(0).Value);
        }

        private int PointeeOf(BtfSpec btf, BtfMember member, string mapName)
        {
            var pointer = btf.GetType(btf.SkipModifiersAndTypedefs(member.TypeId));
            if (pointer.Kind != BtfKind.Pointer)
                throw Error(".maps", 0, $"map '{mapName}': member '{member.Name}' must be declared with __type (a pointer), found {pointer.Kind}");
            return pointer.TypeId;
        }

        private uint CheckedSize(BtfSpec btf, int typeId, string mapName, string what)
        {
            var size = btf.ResolveSize(typeId);
            // A zero-length array is a size of 0 on purpose (__uint(key, 0) for queues, stacks and bloom filters,
            // which have no key): libbpf takes it, and the kernel judges it per map type.
            bool emptyArray = size == 0 && btf.GetType(btf.SkipModifiersAndTypedefs(typeId)).Kind == BtfKind.Array;
            if (size < 0 || size > uint.MaxValue || size == 0 && !emptyArray)
                throw Error(".maps", 0, $"map '{mapName}': {what} type {btf.GetTypeName(typeId)} has no usable size");
            return (uint)size;
        }

        /// <summary>Relocations in <c>.maps</c> fill <c>values</c> slots with maps (map-in-map) or programs (prog array).</summary>
        private void ReadInitialSlots(BtfSpec btf)
        {
            var relocations = _elf.GetRelocationSectionFor(_mapsSection!);
            if (relocations is null) return;
            foreach (var relocation in _elf.ReadRelocations(relocations))
            {
                var symbol = SymbolOf(relocation, relocations.Name);
                var offset = (int)relocation.Offset;
                var owner = FindDeclaredMapRange(offset);
                if (owner is null || owner.ValuesOffset < 0)
                    throw Error(".maps", offset, $"relocation to '{symbol.Name}' does not fall in any map's 'values' member");
                var slotOffset = offset - owner.Offset - owner.ValuesOffset;
                if (slotOffset < 0 || slotOffset % 8 != 0)
                    throw Error(".maps", offset, $"map '{owner.Map.Name}': relocation to '{symbol.Name}' is not at an 8-byte slot");
                // What a slot names must be an object this one loads, as libbpf checks at open: a prog array holds
                // programs (not subprograms), a map-in-map holds maps declared in .maps.
                if (owner.Map.Type == BpfMapType.ProgArray ? _spec.FindProgram(symbol.Name) is null : _spec.FindMap(symbol.Name) is null)
                    throw Error(".maps", offset, owner.Map.Type == BpfMapType.ProgArray
                        ? $"map '{owner.Map.Name}': slot {slotOffset / 8} holds '{symbol.Name}', which is not a program of this object (a function in .text, or in no program section); give it a SEC() of its own"
                        : $"map '{owner.Map.Name}': slot {slotOffset / 8} holds '{symbol.Name}', which is not a map declared in .maps");
                owner.Map.SetInitialSlot((uint)(slotOffset / 8), symbol.Name);
            }
        }

        private DeclaredMapRange? FindDeclaredMapRange(int offset)
        {
            foreach (var range in _declaredMapRanges)
                if (offset >= range.Offset && offset < range.Offset + range.Size) return range;
            return null;
        }

        private MapSpec? DeclaredMapAt(int offset) => FindDeclaredMapRange(offset)?.Map;

        private ElfSymbol SymbolOf(ElfRelocation relocation, string relocationSection)
        {
            if (relocation.SymbolIndex <= 0 || relocation.SymbolIndex >= _elf.Symbols.Count)
                throw Error(relocationSection, (long)relocation.Offset, $"relocation refers to symbol {relocation.SymbolIndex}, which does not exist");
            return _elf.Symbols[relocation.SymbolIndex];
        }
    }
}
