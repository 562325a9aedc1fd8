using System;
using BpfSkeleton.Btf;
using BpfSkeleton.Elf;

namespace BpfSkeleton.Specs
{
    internal sealed partial class ObjectReader
    {
        /// <summary>The section older loaders (libbpf 0.x, iproute2, bcc's samples) read map definitions from.</summary>
        internal const string LegacyMapsSectionName = "maps";

        private const uint BpfFNumaNode = 1u << 2;

        /// <summary>
        /// Legacy <c>SEC("maps")</c> definitions: every symbol in the section is a map whose fixed-layout struct
        /// gives type, sizes, max entries, flags and (iproute2) pinning. libbpf 1.x refuses these objects; we
        /// read them so objects written for older loaders still load. They carry no BTF key/value types.
        /// </summary>
        private void ReadLegacyMaps()
        {
            if (_legacyMapsSection is not { } section) return;
            if (section.Type == ElfConstants.SHT_NOBITS)
                throw Error(section.Name, 0, "the legacy maps section holds no bytes (SHT_NOBITS), so its map definitions cannot be read; initialize the definitions or declare the maps in .maps");
            int count = _elf.SymbolCountIn(section.Index);
            var data = section.Data.Span;
            int mapCount = 0;
            for (int i = 0; i < count; i++)
                if (IsLegacyMapSymbol(_elf.SymbolInSection(section.Index, i))) mapCount++;
            if (mapCount == 0) return;
            // Without a size on the symbol, the definitions share the section evenly (as libbpf 0.x reads them).
            long evenSize = data.Length / mapCount;

            for (int i = 0; i < count; i++)
            {
                var symbol = _elf.SymbolInSection(section.Index, i);
                if (!IsLegacyMapSymbol(symbol)) continue;
                var name = symbol.Name;
                ulong size = symbol.Size != 0 ? symbol.Size : (ulong)evenSize;
                if (size < LegacyMapFields.MinimumSize)
                    throw Error(section.Name, (long)Math.Min(symbol.Value, long.MaxValue),
                        $"legacy map '{name}' is {size} bytes; a struct bpf_map_def needs at least {LegacyMapFields.MinimumSize} (type, key_size, value_size, max_entries, map_flags)");
                // Compared without adding, so a huge value or size cannot wrap around.
                if (symbol.Value > (ulong)data.Length || size > (ulong)data.Length - symbol.Value)
                    throw Error(section.Name, (long)Math.Min(symbol.Value, long.MaxValue),
                        $"legacy map '{name}' ({size} bytes at offset {symbol.Value}) lies outside the {data.Length}-byte section");
                if (_spec.FindMap(name) is not null)
                    throw Error(section.Name, (long)symbol.Value, $"legacy map '{name}' has the name of a map already declared in .maps; rename one of them");
                var definition = data.Slice((int)symbol.Value, (int)size);
                _spec.Maps.Add(LegacyMap(name, definition, LayoutOf(name, definition.Length), section.Name, (long)symbol.Value));
            }
        }

        /// <summary>A named data symbol of the section; section and file symbols are not maps.</summary>
        private static bool IsLegacyMapSymbol(ElfSymbol symbol)
            => symbol.Type is ElfConstants.STT_OBJECT or ElfConstants.STT_NOTYPE && !symbol.HasEmptyName;

        private MapSpec LegacyMap(string name, ReadOnlySpan<byte> definition, LegacyMapLayout layout, string section, long offset)
        {
            bool little = _elf.IsLittleEndian;
            var map = new MapSpec(name, MapOrigin.Legacy)
            {
                Type = (BpfMapType)Field(definition, little, LegacyMapFields.Type),
                KeySize = Field(definition, little, LegacyMapFields.KeySize),
                ValueSize = Field(definition, little, LegacyMapFields.ValueSize),
                MaxEntries = Field(definition, little, LegacyMapFields.MaxEntries),
                Flags = Field(definition, little, LegacyMapFields.Flags),
            };
            if (map.Type is BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps)
                throw Error(section, offset, $"legacy map '{name}' is a {map.Type}, whose inner map a legacy definition cannot describe; declare it in .maps with __array(values, …)");
            if (layout == LegacyMapLayout.MapDef && definition.Length >= LegacyMapFields.MapDefNumaNode + 4 && (map.Flags & BpfFNumaNode) != 0)
                map.NumaNode = Field(definition, little, LegacyMapFields.MapDefNumaNode);
            if (layout == LegacyMapLayout.ElfMap && definition.Length >= LegacyMapFields.ElfMapPinning + 4)
            {
                uint pinning = Field(definition, little, LegacyMapFields.ElfMapPinning);
                // iproute2 pins object- and global-namespace maps by name; here both pin by name under PinRoot.
                if (pinning > 2)
                    throw Error(section, offset, $"legacy map '{name}': pinning {pinning} is not PIN_NONE (0), PIN_OBJECT_NS (1) or PIN_GLOBAL_NS (2)");
                map.Pinning = pinning == 0 ? MapPinning.None : MapPinning.ByName;
            }
            return map;
        }

        private static uint Field(ReadOnlySpan<byte> definition, bool little, int offset) => ByteOrder.U32(definition.Slice(offset), little);

        /// <summary>iproute2's layout where BTF names the struct bpf_elf_map, or the definition has its 36 bytes.</summary>
        private LegacyMapLayout LayoutOf(string mapName, int size)
        {
            if (_btf is { } btf && btf.TryFindByName(LegacyMapsSectionName, BtfKind.Datasec, out var datasecId))
            {
                var datasec = btf.GetType(datasecId);
                for (int i = 0; i < datasec.Vlen; i++)
                {
                    var variable = btf.GetType(datasec.GetVarSecInfo(i).TypeId);
                    if (variable.Kind != BtfKind.Var || variable.Name != mapName) continue;
                    var definition = btf.GetType(btf.SkipModifiersAndTypedefs(variable.TypeId));
                    return definition.Name == LegacyMapFields.ElfMapStructName ? LegacyMapLayout.ElfMap : LegacyMapLayout.MapDef;
                }
            }
            return size == LegacyMapFields.ElfMapSize ? LegacyMapLayout.ElfMap : LegacyMapLayout.MapDef;
        }

        private MapSpec? LegacyMapAt(long offset)
        {
            var section = _legacyMapsSection!;
            var symbol = FindLegacyMapSymbolAt(section, offset);
            return symbol is null ? null : _spec.FindMap(symbol.Name);
        }

        private ElfSymbol? FindLegacyMapSymbolAt(ElfSection section, long offset)
        {
            int count = _elf.SymbolCountIn(section.Index);
            for (int i = 0; i < count; i++)
            {
                var symbol = _elf.SymbolInSection(section.Index, i);
                if (IsLegacyMapSymbol(symbol) && (long)symbol.Value == offset) return symbol;
            }
            return null;
        }
    }
}
