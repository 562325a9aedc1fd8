using System;
using BpfSkeleton.Btf;
using BpfSkeleton.Specs;

namespace BpfSkeleton
{
    /// <summary>
    /// The load phase in libbpf's order: struct_ops matched to kernel types, object BTF loaded,
    /// externs resolved, maps created, global data filled/frozen, programs linked, relocated and
    /// loaded, initial map slots filled. Activates nothing. Reads the opened object; writes only the
    /// <see cref="LoadedState"/> it returns, which it disposes (pins undone) if any step throws.
    /// </summary>
    internal static class ObjectLoader
    {
        public static LoadedState Load(BpfObject owner)
        {
            var state = new LoadedState(owner);
            try
            {
                LoadInto(owner, state);
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

        private static void LoadInto(BpfObject owner, LoadedState state)
        {
            BtfSpec? kernel = null;
            BtfSpec KernelBtf() => kernel ??= KernelTypes.For(owner.Options);
            CoreSession? core = null;
            CoreSession Core() => core ??= new CoreSession(owner.Spec, KernelBtf(),
                owner.Options.KernelBtfPath is null ? KernelTypes.LoadedModules : null);

            BindStructOps(owner, state, KernelBtf);

            state.ObjectBtf = ObjectBtfLoader.Load(owner);

            var externs = new ExternResolver(owner, state);
            byte[]? kconfig = null;
            foreach (var data in owner.GlobalData)
                if (data.Spec.Kind == DataSectionKind.Kconfig) kconfig = externs.KconfigImage(data);

            foreach (var map in owner.Maps)
            {
                if (!map.AutoCreate || map.Spec.Origin == MapOrigin.InnerTemplate) continue;
                var structOps = map.Spec.StructOps is null ? null : state.StructOps[owner.StructOps(map.Name).Index]?.Type;
                MapCreator.Create(owner, state, map, structOps);
            }
            foreach (var data in owner.GlobalData)
                if (state.Maps[data.Map.Index] is { } created)
                    GlobalDataInitializer.Initialize(data.Spec, created, data.Spec.Kind == DataSectionKind.Kconfig ? kconfig : null);

            // As libbpf: every program is relocated before the first is loaded. The verifier runs
            // between loads and evicts the caches, so linking in one run keeps spec and code warm.
            var prepared = new ProgramLoader.Prepared[owner.Programs.Count];
            int count = 0;
            Func<BtfSpec> kernelBtf = KernelBtf; // one delegate each, not one per program
            Func<CoreSession> coreSession = Core;
            foreach (var program in owner.Programs)
                if (ShouldLoad(state, program))
                    prepared[count++] = ProgramLoader.Prepare(owner, state, program, externs, kernelBtf, coreSession);
            for (int i = 0; i < count; i++)
                ProgramLoader.Load(owner, state, prepared[i]);

            InitialSlots.Fill(owner, state);
        }

        private static void BindStructOps(BpfObject owner, LoadedState state, Func<BtfSpec> kernelBtf)
        {
            foreach (var structOps in owner.StructOpsMaps)
                if (structOps.Map.AutoCreate)
                    state.StructOps[structOps.Index] = StructOpsBinder.Bind(structOps, state, owner.Spec.Btf!, kernelBtf(),
                        searchModules: owner.Options.KernelBtfPath is null);
        }

        /// <summary>Struct_ops programs load exactly when a created map uses them; others follow AutoLoad.</summary>
        private static bool ShouldLoad(LoadedState state, BpfProgram program)
            => program.IsStructOps ? state.StructOpsBindings[program.Index] is not null : program.AutoLoad;
    }
}
