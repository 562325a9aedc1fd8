using System;
using BpfSkeleton.Btf;
using BpfSkeleton.Specs;

namespace BpfSkeleton
{
    /// <summary>
    /// The load phase in libbpf's order: struct_ops matched to kernel types, object BTF loaded,
    /// externs resolved, maps created, global data filled/frozen/mapped, programs linked,
    /// relocated and loaded, initial map slots filled. Activates nothing. The caller releases
    /// everything if any step throws.
    /// </summary>
    internal static class ObjectLoader
    {
        public static void Load(BpfObject owner)
        {
            BtfSpec? kernel = null;
            BtfSpec KernelBtf() => kernel ??= KernelTypes.For(owner.Options);
            CoreSession? core = null;
            CoreSession Core() => core ??= new CoreSession(owner.Spec, KernelBtf(),
                owner.Options.KernelBtfPath is null ? KernelTypes.LoadedModules : null);

            foreach (var program in owner.Programs)
                program.Release();
            BindStructOps(owner, KernelBtf);

            owner.ObjectBtf = ObjectBtfLoader.Load(owner);

            var externs = new ExternResolver(owner, owner.ModuleBtfs);
            foreach (var data in owner.GlobalData)
                if (data.Spec.Kind == DataSectionKind.Kconfig) externs.FillKconfig(data);

            foreach (var map in owner.Maps)
            {
                if (!map.AutoCreate || map.Spec.Origin == MapOrigin.InnerTemplate) continue;
                var structOps = map.Spec.StructOps is null ? null : owner.StructOps(map.Name).KernelType;
                MapCreator.Create(owner, map, structOps);
            }
            foreach (var data in owner.GlobalData)
                if (data.Map.IsCreated) GlobalDataInitializer.Initialize(data);

            // As libbpf: every program is relocated before the first is loaded. The verifier runs
            // between loads and evicts the caches, so linking in one run keeps spec and code warm.
            var prepared = new ProgramLoader.Prepared[owner.Programs.Count];
            int count = 0;
            Func<BtfSpec> kernelBtf = KernelBtf; // one delegate each, not one per program
            Func<CoreSession> coreSession = Core;
            foreach (var program in owner.Programs)
                if (ShouldLoad(program))
                    prepared[count++] = ProgramLoader.Prepare(owner, program, externs, kernelBtf, coreSession);
            for (int i = 0; i < count; i++)
                ProgramLoader.Load(owner, prepared[i]);

            InitialSlots.Fill(owner);
        }

        private static void BindStructOps(BpfObject owner, Func<BtfSpec> kernelBtf)
        {
            foreach (var structOps in owner.StructOpsMaps)
            {
                structOps.KernelType = null;
                if (!structOps.Map.AutoCreate) continue;
                structOps.KernelType = StructOpsBinder.Bind(structOps, owner.Spec.Btf!, kernelBtf(), searchModules: owner.Options.KernelBtfPath is null);
            }
        }

        /// <summary>Struct_ops programs load exactly when a created map uses them; others follow AutoLoad.</summary>
        private static bool ShouldLoad(BpfProgram program)
            => program.IsStructOps ? program.StructOpsBinding is not null : program.AutoLoad;
    }
}
