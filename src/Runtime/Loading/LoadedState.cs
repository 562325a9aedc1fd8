using System;
using System.Threading;
using BpfSkeleton.Kernel;
using BpfSkeleton.KernelFacts;

namespace BpfSkeleton.Loading
{
    /// <summary>
    /// What one <c>Load()</c> made live, in the kernel and in this process: the object's BTF, its maps (with
    /// the pins the load made, arena and global data mappings) and program handles, with the load's
    /// <see cref="LoadPlan"/> (struct_ops values and bindings). The live back-end writes here and nowhere else —
    /// never into a spec, never into the object's public members — so a failed load is undone by disposing this
    /// one object, and the spec stays what was opened. Entries are indexed like <see cref="ILoadSource.Maps"/> and
    /// <see cref="ILoadSource.Programs"/>.
    /// </summary>
    internal sealed class LoadedState : IDisposable
    {
        public LoadedState(ILoadSource owner, LoadPlan plan)
        {
            Maps = new LoadedMap?[owner.Maps.Count];
            Programs = new BpfProgramHandle?[owner.Programs.Count];
            Plan = plan;
        }

        /// <summary>What the load decided: struct_ops values and bindings, the arena globals' place.</summary>
        public LoadPlan Plan { get; }

        /// <summary>The object's BTF as loaded into the kernel (null where the kernel takes none).</summary>
        public BtfHandle? ObjectBtf { get; set; }

        /// <summary>Kernel module BTF objects the load references; the kernel keeps its own references, so they close after load.</summary>
        public ModuleBtfs ModuleBtfs { get; } = new();

        /// <summary>Each map created or taken, or null where none was (autocreate off).</summary>
        public LoadedMap?[] Maps { get; }

        /// <summary>Each program loaded, or null where none was.</summary>
        public BpfProgramHandle?[] Programs { get; }

        /// <summary>Removes the pins this load made, as libbpf does when a load fails, so nothing outlives it.</summary>
        public void UndoPins()
        {
            foreach (var map in Maps)
                map?.UndoPin();
        }

        public void Dispose()
        {
            foreach (var map in Maps)
                map?.Dispose();
            Array.Clear(Maps);
            foreach (var program in Programs)
                program?.Dispose();
            Array.Clear(Programs);
            ObjectBtf?.Dispose();
            ObjectBtf = null;
            ModuleBtfs.Dispose();
        }
    }

    /// <summary>A map one load created or took (a compatible pin, or a map given to <c>BpfObjectMap.ReuseMap</c>).</summary>
    internal sealed class LoadedMap : IDisposable
    {
        private BpfMappedRegion? _dataMapping;

        public LoadedMap(BpfMap map, bool reused)
        {
            Map = map;
            Reused = reused;
        }

        public BpfMap Map { get; }

        /// <summary>Taken rather than created: its contents are left as they are.</summary>
        public bool Reused { get; }

        /// <summary>An arena created by this load, mapped before any program loads (the verifier wants its user address).</summary>
        public BpfMappedRegion? ArenaRegion { get; set; }

        /// <summary>The bpffs path this load pinned the map at (not a reused pin).</summary>
        public string? PinnedByLoad { get; set; }

        /// <summary>The image a global data map was filled with, where it differs from the spec's (the kconfig values).</summary>
        public byte[]? Image { get; set; }

        /// <summary>
        /// A global data map's value mapped into this process on first use (null when the map is not mmapable):
        /// every access goes through the object, so an object whose data C# never touches skips the mmap.
        /// </summary>
        public BpfMappedRegion? DataMapping(bool writable)
        {
            if (_dataMapping is { } mapped) return mapped;
            if ((Map.RequestedFlags & BpfMapFlags.Mmapable) == 0) return null;
            var mapping = Map.MemoryMap(writable);
            // Two threads may race to the first use; one mapping wins, the other is undone.
            var winner = Interlocked.CompareExchange(ref _dataMapping, mapping, null);
            if (winner is null) return mapping;
            mapping.Dispose();
            return winner;
        }

        public void UndoPin()
        {
            if (PinnedByLoad is null) return;
            try
            {
                BpfMap.Unpin(PinnedByLoad);
            }
            catch (Exception e) when (e is BpfException or System.IO.IOException or UnauthorizedAccessException)
            {
                // Best effort: the load's own error is the one to report.
            }
            PinnedByLoad = null;
        }

        public void Dispose()
        {
            Interlocked.Exchange(ref _dataMapping, null)?.Dispose();
            ArenaRegion?.Dispose();
            ArenaRegion = null;
            Map.Dispose();
        }
    }
}
