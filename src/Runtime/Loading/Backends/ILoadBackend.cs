using BpfSkeleton.Kernel;

namespace BpfSkeleton.Loading
{
    /// <summary>
    /// Performs the kernel operations a load plans, in the order planned. The planner (<see cref="ObjectLoader"/>
    /// and its steps) decides everything — BTF to load, map definitions, data images, final instructions and
    /// load attributes — and names kernel objects only by <see cref="KernelRef"/>; a back-end makes them real.
    /// <see cref="LiveBackend"/> issues bpf() calls into a <see cref="LoadedState"/>; a recording back-end (the
    /// light skeleton's) writes the same operations down without touching the kernel.
    /// </summary>
    internal interface ILoadBackend
    {
        /// <summary>
        /// True when the operations run later, on a kernel the planner cannot see (the light skeleton's loader):
        /// CO-RE relocations, attach targets and other facts of the running kernel are then not resolved by the
        /// planner but named in the plan (<see cref="ProgramLoad.CoreRelocations"/>, <see cref="ProgramLoad.AttachTarget"/>)
        /// for that kernel to resolve.
        /// </summary>
        bool DefersKernelFacts { get; }

        /// <summary>BPF_BTF_LOAD of the object's BTF, as prepared for this kernel; maps and programs then ask for it by a flag.</summary>
        void LoadObjectBtf(byte[] rawBtf);

        /// <summary>BPF_MAP_CREATE of map <paramref name="map"/> (its inner-map template first, where it has one).</summary>
        void CreateMap(int map, MapCreation creation);

        /// <summary>Takes the map pinned at <paramref name="path"/> if one is there and matches; false if none is there.</summary>
        bool TryReusePinned(int map, string path, MapCreation expected);

        /// <summary>Takes a map the user gave (<c>BpfObjectMap.ReuseMap</c>), if it matches.</summary>
        void UseGivenMap(int map, BpfMap given, MapCreation expected);

        /// <summary>Pins map <paramref name="map"/> at <paramref name="path"/>; undone if the load fails.</summary>
        void Pin(int map, string path);

        /// <summary>Maps an arena into this process before any program loads (the verifier wants its user address).</summary>
        void MapArena(int map);

        /// <summary>Copies the <c>__arena</c> globals' initial values into an arena this load created.</summary>
        void PlaceArenaGlobals(int map, long offset, byte[] image);

        /// <summary>Whether map <paramref name="map"/> was taken (a pin, a given map) rather than created: its contents stay.</summary>
        bool IsReused(int map);

        /// <summary>Whether the referenced map or program exists by now (created, taken or loaded).</summary>
        bool Exists(KernelRef target);

        /// <summary>A global data map's initial value: written unless <paramref name="write"/> is false (a zero .bss), then frozen if asked.</summary>
        void InitializeData(int map, byte[] image, bool write, bool freeze);

        /// <summary>
        /// BPF_PROG_LOAD of program <paramref name="program"/>, with every reference resolved. <paramref name="boundMap"/>
        /// (-1 for none) is a map the program is to hold though no instruction names it, as libbpf binds <c>.rodata</c>
        /// to every program; best effort, as in libbpf: where the kernel cannot bind it, the program loads without.
        /// </summary>
        void LoadProgram(int program, ProgramLoad load, int boundMap);

        /// <summary>Writes a prog array or map-in-map slot: the value is the referenced program's or map's fd.</summary>
        void WriteSlot(int map, uint slot, KernelRef target);
    }
}
