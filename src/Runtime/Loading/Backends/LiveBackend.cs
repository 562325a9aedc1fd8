using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using BpfSkeleton.Kernel;
using BpfSkeleton.KernelFacts;

namespace BpfSkeleton.Loading
{
    /// <summary>
    /// The back-end that makes a plan real with bpf() calls, into a <see cref="LoadedState"/>: references become
    /// the fds of the objects it has made so far. It throws as the kernel answers; the caller disposes the state.
    /// </summary>
    internal sealed class LiveBackend : ILoadBackend
    {
        private readonly ILoadSource _owner;
        private readonly LoadedState _state;

        public LiveBackend(ILoadSource owner, LoadedState state)
        {
            _owner = owner;
            _state = state;
        }

        public bool DefersKernelFacts => false;

        public void LoadObjectBtf(byte[] rawBtf) => _state.ObjectBtf = BtfHandle.Load(rawBtf);

        public void CreateMap(int map, MapCreation creation)
        {
            var options = Resolve(creation);
            BpfMap? inner = null;
            try
            {
                if (creation.InnerTemplate is { } template)
                {
                    inner = BpfMap.Create(Resolve(template));
                    options.InnerMap = inner;
                }
                _state.Maps[map] = new LoadedMap(BpfMap.Create(options), reused: false);
            }
            finally
            {
                // The kernel copies what it needs from the template; it is not kept.
                inner?.Dispose();
            }
        }

        private BpfMapCreateOptions Resolve(MapCreation creation)
        {
            var options = creation.Options;
            if (creation.WithObjectBtf)
                options.Btf = _state.ObjectBtf;
            if (creation.ValueTypeModule is { } module)
                options.ValueTypeBtfObject = _state.ModuleBtfs.Open(module);
            return options;
        }

        public bool TryReusePinned(int map, string path, MapCreation expected)
        {
            if (!File.Exists(path)) return false;
            var pinned = BpfMap.FromPinned(path);
            var problem = Mismatch(pinned, expected.Options);
            if (problem is not null)
            {
                pinned.Dispose();
                throw new BpfLoadException(
                    $"{_owner.Spec.FileName}: map '{_owner.Maps[map].Name}' is pinned at {path} with a different definition ({problem}); remove the pin (rm {path}) or change the map");
            }
            _state.Maps[map] = new LoadedMap(pinned, reused: true);
            return true;
        }

        /// <summary>A descriptor of the state's own: the user's choice stays with the object, the load's with its state.</summary>
        public void UseGivenMap(int map, BpfMap given, MapCreation expected)
        {
            var problem = Mismatch(given, expected.Options);
            if (problem is not null)
                throw new BpfLoadException(
                    $"{_owner.Spec.FileName}: map '{_owner.Maps[map].Name}' cannot reuse {given}: its definition differs ({problem})");
            _state.Maps[map] = new LoadedMap(BpfMap.FromFd(given.Fd.Duplicate()), reused: true);
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

        public void Pin(int map, string path)
        {
            var loaded = Created(map);
            loaded.Map.Pin(path);
            loaded.PinnedByLoad = path;
        }

        public void MapArena(int map)
        {
            var loaded = Created(map);
            loaded.ArenaRegion = loaded.Map.MemoryMap(writable: true);
        }

        public unsafe void PlaceArenaGlobals(int map, long offset, byte[] image)
        {
            if (Created(map).ArenaRegion is not { } region) return; // only an arena this load created and mapped
            image.CopyTo(new Span<byte>((byte*)region.Pointer + offset, image.Length));
        }

        public bool IsReused(int map) => _state.Maps[map] is { Reused: true };

        public bool Exists(KernelRef target) => target.Kind switch
        {
            KernelRefKind.Map => _state.Maps[target.Index] is not null,
            KernelRefKind.Program => _state.Programs[target.Index] is not null,
            _ => true,
        };

        public void InitializeData(int map, byte[] image, bool write, bool freeze)
        {
            var loaded = Created(map);
            loaded.Image = image;
            if (loaded.Reused) return;
            if (write)
            {
                Span<byte> key = stackalloc byte[4];
                key.Clear();
                loaded.Map.Update(key, image);
            }
            if (freeze) loaded.Map.Freeze();
        }

        public void LoadProgram(int program, ProgramLoad load, int boundMap)
        {
            var instructions = MemoryMarshal.Cast<ulong, Specs.BpfInstruction>(load.Code.AsSpan());
            for (int i = 0; i < load.Fixups.Count; i++) // indexed: no enumerator per program
            {
                var fixup = load.Fixups[i];
                instructions[fixup.Field == FdField.Immediate ? fixup.InstructionIndex : fixup.InstructionIndex + 1].Immediate = Fd(fixup.Target);
            }
            var options = load.Options;
            if (load.WithObjectBtf)
                options.ProgramBtf = _state.ObjectBtf;
            if (load.AttachModule is { } module)
                options.AttachBtfObject = _state.ModuleBtfs.Open(module);
            bool bindAtLoad = boundMap >= 0 && FeatureProbes.FdArrayBinding.Supported && HasRoomForOneMore(load);
            if (load.FdArray.Count > 0 || bindAtLoad)
            {
                var fds = new int[Math.Max(load.FdArray.Count, 1)];
                for (int i = 1; i < fds.Length; i++) fds[i] = Fd(load.FdArray[i]);
                // Slot 0 stands for vmlinux in kfunc calls and is never read through the array: the bound map goes there.
                fds[0] = bindAtLoad ? Fd(KernelRef.Map(boundMap)) : Fd(load.FdArray[0]);
                options.FdArray = fds;
                options.BindFdArray = bindAtLoad;
            }
            var loaded = BpfProgramHandle.Load(options);
            _state.Programs[program] = loaded;
            if (boundMap >= 0 && !bindAtLoad && FeatureProbes.ProgBindMap.Supported)
                BindAfterLoad(loaded, boundMap);
        }

        /// <summary>
        /// Whether a bound map still fits the kernel's 64 maps per program. Past that, the kernel would refuse the
        /// whole load (fd_array_cnt) where BPF_PROG_BIND_MAP only refuses the binding.
        /// </summary>
        private static bool HasRoomForOneMore(ProgramLoad load)
        {
            const int MaxUsedMaps = 64;
            if (load.Fixups.Count < MaxUsedMaps)
                return true;
            var maps = new HashSet<int>();
            foreach (var fixup in load.Fixups)
                if (fixup.Target.Kind == KernelRefKind.Map)
                    maps.Add(fixup.Target.Index);
            return maps.Count < MaxUsedMaps;
        }

        private void BindAfterLoad(BpfProgramHandle program, int map)
        {
            try
            {
                program.BindMap(Created(map).Map);
            }
            catch (BpfException)
            {
                // libbpf only warns: the binding keeps metadata listed, and the program runs without it.
            }
        }

        public void WriteSlot(int map, uint slot, KernelRef target) => Created(map).Map.Update(slot, Fd(target));

        private LoadedMap Created(int map)
            => _state.Maps[map] ?? throw new InvalidOperationException($"map #{map} ({_owner.Maps[map].Name}) was not created");

        /// <summary>The fd the kernel reads for <paramref name="target"/>; the state keeps it open throughout the load.</summary>
        private int Fd(KernelRef target) => target.Kind switch
        {
            KernelRefKind.None => 0,
            KernelRefKind.Map => Created(target.Index).Map.Fd.DangerousGetFd(),
            KernelRefKind.Program => (_state.Programs[target.Index] ?? throw new InvalidOperationException($"program #{target.Index} is not loaded")).Fd.DangerousGetFd(),
            _ => _state.ModuleBtfs.Open(target.Module!).Fd.DangerousGetFd(),
        };
    }
}
