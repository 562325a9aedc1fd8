using System;
using System.IO;
using BpfSkeleton.Specs;

namespace BpfSkeleton
{
    /// <summary>
    /// Creates the object's maps with libbpf's per-type rules: BTF key/value ids only where the
    /// kernel accepts them, CPU-count defaults, page-sized ring buffers, mmapable global data,
    /// struct_ops value types, inner-map templates, and pinning by name with reuse.
    /// </summary>
    internal static class MapCreator
    {
        public static void Create(BpfObject owner, LoadedState state, BpfObjectMap map, StructOpsKernelType? structOps)
        {
            var pinPath = map.PinPath;
            var loaded = map.Replacement is not null ? UseReplacement(owner, state, map)
                : pinPath is not null && TryReusePinned(owner, state, map, pinPath) is { } pinned ? pinned
                : CreateNew(owner, state, map, structOps, pinPath);
            state.Maps[map.Index] = loaded;
            if (owner.Spec.ArenaMap == map.Spec)
                PlaceArenaGlobals(owner, state, map, loaded);
        }

        private static LoadedMap CreateNew(BpfObject owner, LoadedState state, BpfObjectMap map, StructOpsKernelType? structOps, string? pinPath)
        {
            var spec = map.Spec;
            var options = Options(state, spec);
            if (structOps is not null)
            {
                // A module's struct_ops value type is named by the module's BTF fd (BPF_F_VTYPE_BTF_OBJ_FD).
                if (structOps.Module is not null)
                    options.ValueTypeBtfObject = state.ModuleBtfs.Open(structOps.Module);
                options.ValueSize = (uint)structOps.ValueSize;
                options.BtfVmlinuxValueTypeId = (uint)structOps.ValueTypeId;
                options.BtfKeyTypeId = 0;
                options.BtfValueTypeId = 0;
            }

            LoadedMap loaded;
            BpfMap? inner = null;
            try
            {
                if (spec.InnerMap is not null)
                {
                    inner = BpfMap.Create(Options(state, spec.InnerMap));
                    options.InnerMap = inner;
                }
                loaded = new LoadedMap(BpfMap.Create(options), reused: false);
            }
            finally
            {
                // The kernel copies what it needs from the template; it is not kept.
                inner?.Dispose();
            }

            try
            {
                // Before any program: the verifier wants the arena's user address, which the first mmap sets.
                if (spec.Type == BpfMapType.Arena)
                    loaded.ArenaRegion = loaded.Map.MemoryMap(writable: true);
                if (pinPath is not null)
                {
                    loaded.Map.Pin(pinPath);
                    loaded.PinnedByLoad = pinPath;
                }
                return loaded;
            }
            catch
            {
                loaded.Dispose();
                throw;
            }
        }

        private static BpfMapCreateOptions Options(LoadedState state, MapSpec spec)
        {
            var options = new BpfMapCreateOptions
            {
                Type = spec.Type,
                Name = spec.Name,
                KeySize = spec.KeySize,
                ValueSize = spec.ValueSize,
                MaxEntries = spec.MaxEntries,
                Flags = (BpfMapFlags)spec.Flags,
                NumaNode = spec.NumaNode,
                MapExtra = spec.MapExtra,
            };

            switch (spec.Type)
            {
                case BpfMapType.PerfEventArray:
                    if (options.MaxEntries == 0) options.MaxEntries = (uint)PossibleCpus.Count;
                    options.KeySize = options.KeySize == 0 ? 4 : options.KeySize;
                    options.ValueSize = options.ValueSize == 0 ? 4 : options.ValueSize;
                    break;
                case BpfMapType.Ringbuf:
                case BpfMapType.UserRingbuf:
                    options.KeySize = 0;
                    options.ValueSize = 0;
                    options.MaxEntries = RoundRingSize(options.MaxEntries);
                    break;
            }

            if (spec.Origin == MapOrigin.GlobalData)
            {
                var data = spec.DataSection!;
                if (FeatureProbes.MmapableArray.Supported) options.Flags |= BpfMapFlags.Mmapable;
                if (data.IsReadOnly) options.Flags |= BpfMapFlags.ReadOnlyProgram;
            }

            if (state.ObjectBtf is not null && SupportsBtfIds(spec) && spec.ValueTypeId != 0)
            {
                options.Btf = state.ObjectBtf;
                options.BtfKeyTypeId = (uint)spec.KeyTypeId;
                options.BtfValueTypeId = (uint)spec.ValueTypeId;
            }
            else if (spec.Origin == MapOrigin.StructOps && state.ObjectBtf is not null)
            {
                options.Btf = state.ObjectBtf;
            }
            return options;
        }

        /// <summary>Map types whose kernel implementation rejects BTF key/value type ids (libbpf omits them).</summary>
        private static bool SupportsBtfIds(MapSpec spec) => spec.Type switch
        {
            BpfMapType.PerfEventArray or BpfMapType.CgroupArray or BpfMapType.StackTrace or BpfMapType.ArrayOfMaps or
            BpfMapType.HashOfMaps or BpfMapType.DevMap or BpfMapType.DevMapHash or BpfMapType.CpuMap or
            BpfMapType.XskMap or BpfMapType.SockMap or BpfMapType.SockHash or BpfMapType.Queue or
            BpfMapType.Stack or BpfMapType.Ringbuf or BpfMapType.UserRingbuf or BpfMapType.StructOps or BpfMapType.Arena => false,
            _ => true,
        };

        /// <summary>Ring buffers need a power-of-two multiple of the page size.</summary>
        private static uint RoundRingSize(uint size)
        {
            var page = (uint)Environment.SystemPageSize;
            if (size < page) size = page;
            var rounded = 1u;
            while (rounded < size) rounded <<= 1;
            return rounded;
        }

        /// <summary>
        /// Places the <c>__arena</c> globals in the arena: at its end as libbpf does, so offset 0 (a NULL arena
        /// pointer) holds nothing; at its start when the end lies beyond the 512 MiB that kernels before
        /// full-range LD_IMM64 offsets accept in an instruction. Their initial values are copied into an arena
        /// this load created; a reused one keeps what it holds.
        /// </summary>
        private static void PlaceArenaGlobals(BpfObject owner, LoadedState state, BpfObjectMap map, LoadedMap arena)
        {
            var globals = owner.Spec.ArenaGlobals!;
            long page = Environment.SystemPageSize;
            long arenaBytes = arena.Map.MaxEntries * page;
            long rounded = (globals.Size + page - 1) / page * page;
            if (rounded > arenaBytes)
                throw new BpfLoadException(
                    $"{owner.Spec.FileName}: the __arena globals take {globals.Size} bytes, more than arena '{map.Name}' holds ({arenaBytes} bytes): raise its max_entries (pages)");
            long atEnd = arenaBytes - rounded;
            state.ArenaGlobalsOffset = atEnd < MaxInstructionOffset ? atEnd : 0;
            if (arena.ArenaRegion is not { } region) return; // only an arena this load created and mapped
            unsafe
            {
                globals.Image.CopyTo(new Span<byte>((byte*)region.Pointer + state.ArenaGlobalsOffset, globals.Size));
            }
        }

        /// <summary>BPF_MAX_VAR_OFF: the largest map value offset an LD_IMM64 may carry on kernels before 6.13.</summary>
        private const long MaxInstructionOffset = 1L << 29;

        /// <summary>
        /// Takes the map given to <see cref="BpfObjectMap.ReuseMap"/> if it matches the definition: a descriptor
        /// of its own, so the user's choice stays with the object and the load's with its state.
        /// </summary>
        private static LoadedMap UseReplacement(BpfObject owner, LoadedState state, BpfObjectMap map)
        {
            var replacement = map.Replacement!;
            var problem = Mismatch(replacement, Options(state, map.Spec));
            if (problem is not null)
                throw new BpfLoadException(
                    $"{owner.Spec.FileName}: map '{map.Name}' cannot reuse {replacement}: its definition differs ({problem})");
            return new LoadedMap(BpfMap.FromFd(replacement.Fd.Duplicate()), reused: true);
        }

        /// <summary>
        /// How an existing map differs from the one <paramref name="expected"/> would create, compared as
        /// libbpf does before reusing a map; null when it matches.
        /// </summary>
        private static string? Mismatch(BpfMap existing, BpfMapCreateOptions expected) =>
            existing.Type != expected.Type ? $"type {existing.Type} vs {expected.Type}" :
            existing.KeySize != expected.KeySize ? $"key size {existing.KeySize} vs {expected.KeySize}" :
            existing.ValueSize != expected.ValueSize ? $"value size {existing.ValueSize} vs {expected.ValueSize}" :
            existing.MaxEntries != expected.MaxEntries ? $"max_entries {existing.MaxEntries} vs {expected.MaxEntries}" :
            (ComparableFlags(existing) & ~(uint)BpfMapFlags.Mmapable) != ((uint)expected.Flags & ~(uint)BpfMapFlags.Mmapable)
                ? $"flags 0x{(uint)existing.Flags:x} vs 0x{(uint)expected.Flags:x}" :
            existing.Info.MapExtra != expected.MapExtra ? $"map_extra 0x{existing.Info.MapExtra:x} vs 0x{expected.MapExtra:x}" : null;

        /// <summary>An existing map's flags less BPF_F_RDONLY_PROG where the kernel adds it itself (devmap, cpumap), as libbpf compares them.</summary>
        private static uint ComparableFlags(BpfMap existing)
            => existing.Type is BpfMapType.DevMap or BpfMapType.DevMapHash or BpfMapType.CpuMap
                ? (uint)existing.Flags & ~(uint)BpfMapFlags.ReadOnlyProgram
                : (uint)existing.Flags;

        /// <summary>Reuses the map pinned at <paramref name="path"/> when its definition matches; a mismatch is an error.</summary>
        private static LoadedMap? TryReusePinned(BpfObject owner, LoadedState state, BpfObjectMap map, string path)
        {
            if (!File.Exists(path)) return null;
            var pinned = BpfMap.FromPinned(path);
            var problem = Mismatch(pinned, Options(state, map.Spec));
            if (problem is not null)
            {
                pinned.Dispose();
                throw new BpfLoadException(
                    $"{owner.Spec.FileName}: map '{map.Name}' is pinned at {path} with a different definition ({problem}); remove the pin (rm {path}) or change the map");
            }
            return new LoadedMap(pinned, reused: true);
        }
    }
}
