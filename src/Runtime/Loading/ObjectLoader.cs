using System;
using BpfSkeleton.Btf;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Logging;
using BpfSkeleton.Specs;

namespace BpfSkeleton.Loading
{
    /// <summary>
    /// The load phase in libbpf's order: struct_ops matched to kernel types, object BTF loaded, externs
    /// resolved, maps created, global data filled/frozen, programs linked, relocated and loaded, initial map
    /// slots filled. Activates nothing. It plans — reading the opened object and facts about the running
    /// kernel — and a back-end performs: <see cref="Load"/> runs the plan live into a <see cref="LoadedState"/>;
    /// <see cref="Run"/> takes any <see cref="ILoadBackend"/>, so a recorder sees the same operations.
    /// </summary>
    internal static class ObjectLoader
    {
        /// <summary>Loads into the kernel; on failure the state is disposed (pins undone) and nothing is left.</summary>
        public static LoadedState Load(ILoadSource owner)
        {
            var plan = new LoadPlan(owner);
            var state = new LoadedState(owner, plan);
            try
            {
                Run(owner, plan, new LiveBackend(owner, state));
                // The kernel holds its own references to module BTF now.
                state.ModuleBtfs.Dispose();
                return state;
            }
            catch
            {
                state.UndoPins();
                state.Dispose();
                throw;
            }
        }

        /// <summary>Plans the load of <paramref name="owner"/> into <paramref name="plan"/>, each kernel operation performed by <paramref name="backend"/>.</summary>
        internal static void Run(ILoadSource owner, LoadPlan plan, ILoadBackend backend)
        {
            BtfSpec? kernel = null;
            BtfSpec KernelBtf() => kernel ??= KernelTypes.For(owner.Options.KernelBtfPath);
            CoreSession? core = null;
            CoreSession Core() => core ??= new CoreSession(owner.Spec, KernelBtf(),
                owner.Options.KernelBtfPath is null ? KernelTypes.LoadedModules : null);

            using (LoadTrace.Phase("struct_ops: kernel types matched"))
                BindStructOps(owner, plan, KernelBtf);

            bool deferred = backend.DefersKernelFacts;
            using (LoadTrace.Phase("object BTF: sanitized and loaded"))
                if (ObjectBtfLoader.Prepare(owner, deferred ? ObjectBtfLoader.LoaderKernelFeatures : null) is { } btf)
                    backend.LoadObjectBtf(btf);

            var externs = new ExternResolver(owner, backend);
            byte[]? kconfig = null;
            using (LoadTrace.Phase("kconfig"))
            {
                var globalData = owner.GlobalData;
                if (!deferred)
                    for (int i = 0; i < globalData.Count; i++) // indexed: no enumerator per load
                        if (globalData[i].Spec.Kind == DataSectionKind.Kconfig) kconfig = externs.KconfigImage(globalData[i]);
            }

            using (LoadTrace.Phase("maps: created, global data written"))
            {
                var maps = owner.Maps;
                for (int i = 0; i < maps.Count; i++)
                {
                    var map = maps[i];
                    if (!map.AutoCreate || map.Spec.Origin == MapOrigin.InnerTemplate) continue;
                    var structOps = map.Spec.StructOps is null ? null : plan.StructOps[owner.StructOps(map.Name).Index]?.Type;
                    MapCreator.Create(owner, plan, backend, map, structOps);
                }
                var globalData = owner.GlobalData;
                for (int i = 0; i < globalData.Count; i++)
                    if (globalData[i] is var data && backend.Exists(KernelRef.Map(data.Map.Index)))
                        GlobalDataInitializer.Initialize(data.Spec, data.Map.Index, backend, data.Spec.Kind == DataSectionKind.Kconfig ? kconfig : null);
            }

            // As libbpf: every program is relocated before the first is loaded. The verifier runs
            // between loads and evicts the caches, so linking in one run keeps spec and code warm.
            var prepared = new ProgramLoader.Prepared[owner.Programs.Count];
            int count = 0;
            Func<BtfSpec> kernelBtf = KernelBtf; // one delegate each, not one per program
            Func<CoreSession> coreSession = Core;
            using (LoadTrace.Phase("programs: linked and relocated"))
            {
                var programs = owner.Programs;
                for (int i = 0; i < programs.Count; i++)
                    if (ShouldLoad(plan, programs[i]))
                        prepared[count++] = ProgramLoader.Prepare(owner, plan, backend, programs[i], externs, kernelBtf, coreSession);
            }
            // As libbpf: .rodata is bound to every program, so tools list its bpf_metadata_* variables with each.
            int rodata = owner.Spec.FindDataSectionMap(".rodata") is { } rodataSpec ? owner.Map(rodataSpec.Name).Index : -1;
            bool bindRodata = rodata >= 0 && !deferred && backend.Exists(KernelRef.Map(rodata));
            using (LoadTrace.Phase("programs: loaded (verifier)"))
                for (int i = 0; i < count; i++)
                    ProgramLoader.Load(owner, backend, prepared[i], bindRodata && !References(prepared[i].Load, rodata) ? rodata : -1);

            using (LoadTrace.Phase("initial map slots"))
                InitialSlots.Fill(owner, backend);
        }

        private static void BindStructOps(ILoadSource owner, LoadPlan plan, Func<BtfSpec> kernelBtf)
        {
            var all = owner.StructOpsMaps; // indexed: no enumerator per load
            for (int i = 0; i < all.Count; i++)
                if (all[i] is var structOps && structOps.Map.AutoCreate)
                    plan.StructOps[structOps.Index] = StructOpsBinder.Bind(structOps, plan, owner.Spec.Btf!, kernelBtf(),
                        searchModules: owner.Options.KernelBtfPath is null);
        }

        /// <summary>
        /// Whether a program's instructions already name the map: the kernel then holds it among the program's
        /// used maps, and BPF_PROG_BIND_MAP would be a syscall that changes nothing.
        /// </summary>
        private static bool References(ProgramLoad load, int map)
        {
            var fixups = load.Fixups;
            for (int i = 0; i < fixups.Count; i++)
                if (fixups[i].Target.Kind == KernelRefKind.Map && fixups[i].Target.Index == map)
                    return true;
            return false;
        }

        /// <summary>Struct_ops programs load exactly when a created map uses them; others follow AutoLoad.</summary>
        private static bool ShouldLoad(LoadPlan plan, ILoadProgram program)
            => program.IsStructOps ? plan.StructOpsBindings[program.Index] is not null : program.AutoLoad;
    }
}
