using System;
using BpfSkeleton.Kernel;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Logging;
using BpfSkeleton.Specs;

namespace BpfSkeleton.Loading
{
    /// <summary>
    /// Plans the object's maps with libbpf's per-type rules — BTF key/value ids only where the kernel accepts
    /// them, CPU-count defaults, page-sized ring buffers, mmapable global data, struct_ops value types,
    /// inner-map templates — and has the back-end create them, or take a pinned or given map instead.
    /// </summary>
    internal static class MapCreator
    {
        public static void Create(ILoadSource owner, LoadPlan plan, ILoadBackend backend, ILoadMap map, StructOpsKernelType? structOps)
        {
            // Each read once: these are interface calls, and this runs for every map of every load.
            var spec = map.Spec;
            int index = map.Index;
            var objectSpec = owner.Spec;
            var creation = Creation(objectSpec, spec, structOps);
            var pinPath = map.PinPath;
            if (map.Replacement is { } given)
            {
                backend.UseGivenMap(index, given, creation);
                LoaderLog.MapGiven(objectSpec.FileName, map.Name);
            }
            else if (pinPath is null || !backend.TryReusePinned(index, pinPath, creation))
            {
                backend.CreateMap(index, creation);
                LoaderLog.MapCreated(objectSpec.FileName, spec.Name);
                // Before any program: the verifier wants the arena's user address, which the first mmap sets.
                if (spec.Type == BpfMapType.Arena)
                    backend.MapArena(index);
                if (pinPath is not null)
                {
                    backend.Pin(index, pinPath);
                    LoaderLog.MapPinned(objectSpec.FileName, spec.Name, pinPath);
                }
            }
            else LoaderLog.MapReused(objectSpec.FileName, spec.Name, pinPath);
            if (objectSpec.ArenaMap == spec)
                PlaceArenaGlobals(owner, plan, backend, map, creation.Options.MaxEntries);
        }

        private static MapCreation Creation(BpfObjectSpec objectSpec, MapSpec spec, StructOpsKernelType? structOps)
        {
            var options = Options(spec);
            // The object's BTF is loaded exactly when it has one (ObjectBtfLoader).
            bool hasBtf = objectSpec.Btf is not null;
            bool withBtf = false;
            if (hasBtf && SupportsBtfIds(spec) && spec.ValueTypeId != 0)
            {
                withBtf = true;
                options.BtfKeyTypeId = (uint)spec.KeyTypeId;
                options.BtfValueTypeId = (uint)spec.ValueTypeId;
            }
            else if (spec.Origin == MapOrigin.StructOps && hasBtf)
            {
                withBtf = true;
            }
            if (structOps is not null)
            {
                options.ValueSize = (uint)structOps.ValueSize;
                options.BtfVmlinuxValueTypeId = (uint)structOps.ValueTypeId;
                options.BtfKeyTypeId = 0;
                options.BtfValueTypeId = 0;
            }
            var inner = spec.InnerMap is null ? null : Creation(objectSpec, spec.InnerMap, null);
            // A module's struct_ops value type is named by the module's BTF fd (BPF_F_VTYPE_BTF_OBJ_FD).
            return new MapCreation(options, withBtf, inner, structOps?.Module);
        }

        private static BpfMapCreateOptions Options(MapSpec spec)
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
                    options.MaxEntries = RoundRingSize(options.MaxEntries, spec.Name);
                    break;
            }

            if (spec.Origin == MapOrigin.GlobalData)
            {
                var data = spec.DataSection!;
                // As libbpf: mmapable where the section has a variable user space can see (not static, not
                // __hidden); a section of only static variables is the program's own.
                if (FeatureProbes.MmapableArray.Supported && HasVisibleVariable(data)) options.Flags |= BpfMapFlags.Mmapable;
                if (data.IsReadOnly) options.Flags |= BpfMapFlags.ReadOnlyProgram;
            }
            return options;
        }

        private static bool HasVisibleVariable(DataSectionSpec data)
        {
            foreach (var variable in data.Variables)
                if (variable.IsGlobal) return true;
            return false;
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
        private static uint RoundRingSize(uint size, string mapName)
        {
            var page = (uint)Environment.SystemPageSize;
            if (size < page) size = page;
            // Past 2^31 no 32-bit power of two is large enough (and doubling would wrap to 0 and never end).
            if (size > 1u << 31)
                throw new BpfLoadException($"ring buffer '{mapName}' asks for {size} bytes; the largest ring buffer is 2 GiB (max_entries 1 << 31)");
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
        private static void PlaceArenaGlobals(ILoadSource owner, LoadPlan plan, ILoadBackend backend, ILoadMap map, uint pages)
        {
            var globals = owner.Spec.ArenaGlobals!;
            long page = Environment.SystemPageSize;
            long arenaBytes = pages * page;
            long rounded = (globals.Size + page - 1) / page * page;
            if (rounded > arenaBytes)
                throw new BpfLoadException(
                    $"{owner.Spec.FileName}: the __arena globals take {globals.Size} bytes, more than arena '{map.Name}' holds ({arenaBytes} bytes): raise its max_entries (pages)");
            long atEnd = arenaBytes - rounded;
            plan.ArenaGlobalsOffset = atEnd < MaxInstructionOffset ? atEnd : 0;
            backend.PlaceArenaGlobals(map.Index, plan.ArenaGlobalsOffset, globals.Image);
        }

        /// <summary>BPF_MAX_VAR_OFF: the largest map value offset an LD_IMM64 may carry on kernels before 6.13.</summary>
        private const long MaxInstructionOffset = 1L << 29;
    }
}
