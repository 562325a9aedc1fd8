using System;
using System.Collections.Generic;
using BpfSkeleton.Btf;
using BpfSkeleton.Specs;

namespace BpfSkeleton
{
    /// <summary>
    /// Prepares the object's BTF for the kernel as libbpf does before BPF_BTF_LOAD: DATASEC sizes
    /// and variable offsets from the ELF (clang leaves them zero), hidden globals made static,
    /// extern sections laid out, kinds this kernel lacks rewritten.
    /// </summary>
    internal static class ObjectBtfLoader
    {
        public static BtfHandle? Load(BpfObject owner)
        {
            var btf = owner.Spec.Btf;
            if (btf is null) return null;
            var patcher = new BtfPatcher(btf);
            FixDatasecs(owner.Spec, btf, patcher);
            patcher.Sanitize(SupportedFeatures());
            return BtfHandle.Load(patcher.ToArray());
        }

        private static void FixDatasecs(BpfObjectSpec spec, BtfSpec btf, BtfPatcher patcher)
        {
            for (var id = btf.FirstTypeId; id <= btf.TypeCount; id++)
            {
                var type = btf.GetType(id);
                if (type.Kind != BtfKind.Datasec) continue;
                var name = type.Name;
                if (name == ".kconfig") FixKconfig(spec, btf, patcher, id);
                else if (name == ".ksyms") FixKsyms(btf, patcher, id);
                else FixSection(spec, btf, patcher, id, name);
            }
        }

        private static void FixSection(BpfObjectSpec spec, BtfSpec btf, BtfPatcher patcher, int id, string name)
        {
            var section = spec.Elf.FindSection(name);
            if (section is null) return;
            var datasec = btf.GetType(id);
            patcher.SetSize(id, (uint)section.Size);
            for (var i = 0; i < datasec.Vlen; i++)
            {
                var info = datasec.GetVarSecInfo(i);
                var variable = btf.GetType(info.TypeId);
                if (variable.Kind != BtfKind.Var || variable.VarLinkage == BtfVarLinkage.GlobalExtern) continue;
                var symbol = FindSymbol(spec, section.Index, variable.Name);
                if (symbol is null) continue;
                patcher.SetVarSecInfo(id, i, (uint)symbol.Value, info.Size);
                // A global with hidden/internal visibility behaves as static; say so to the kernel.
                if (symbol.Visibility is Elf.ElfConstants.STV_HIDDEN or Elf.ElfConstants.STV_INTERNAL)
                    patcher.SetVarLinkage(info.TypeId, BtfVarLinkage.Static);
            }
        }

        private static void FixKconfig(BpfObjectSpec spec, BtfSpec btf, BtfPatcher patcher, int id)
        {
            var data = spec.FindDataSectionMap(".kconfig")?.DataSection;
            if (data is null) return;
            var datasec = btf.GetType(id);
            patcher.SetSize(id, (uint)data.Size);
            for (var i = 0; i < datasec.Vlen; i++)
            {
                var info = datasec.GetVarSecInfo(i);
                var variable = btf.GetType(info.TypeId);
                var placed = data.FindVariable(variable.Name);
                if (placed is null) continue;
                patcher.SetVarSecInfo(id, i, (uint)placed.Offset, (uint)placed.Size);
                patcher.SetVarLinkage(info.TypeId, BtfVarLinkage.GlobalAllocated);
            }
        }

        /// <summary>
        /// The kernel accepts only allocated VARs in a DATASEC: extern ksym VARs become globals,
        /// extern FUNC entries become an int VAR (libbpf's dummy_ksym), all laid out back to back.
        /// </summary>
        private static void FixKsyms(BtfSpec btf, BtfPatcher patcher, int id)
        {
            var datasec = btf.GetType(id);
            int? dummyVar = null;
            uint offset = 0;
            for (var i = 0; i < datasec.Vlen; i++)
            {
                var info = datasec.GetVarSecInfo(i);
                var type = btf.GetType(info.TypeId);
                if (type.Kind == BtfKind.Func)
                {
                    dummyVar ??= patcher.AddVar("dummy_ksym", patcher.AddInt("int", 4, BtfIntFlags.Signed), BtfVarLinkage.GlobalAllocated);
                    patcher.SetVarSecInfo(id, i, offset, 4, dummyVar.Value);
                    offset += 4;
                    continue;
                }
                var target = btf.SkipModifiers(type.TypeId);
                var size = target == 0 ? 4u : (uint)Math.Max(1, btf.ResolveSize(target));
                patcher.SetVarLinkage(info.TypeId, BtfVarLinkage.GlobalAllocated);
                patcher.SetVarSecInfo(id, i, offset, size);
                offset += size;
            }
            patcher.SetSize(id, offset);
        }

        private static Elf.ElfSymbol? FindSymbol(BpfObjectSpec spec, int sectionIndex, string name)
        {
            foreach (var symbol in spec.Elf.Symbols)
                if (symbol.SectionIndex == sectionIndex && symbol.Name == name) return symbol;
            return null;
        }

        private static BtfFeatures SupportedFeatures()
        {
            var features = BtfFeatures.None; // no layout section: kernels before the kind-layout series reject it
            if (FeatureProbes.BtfFunc.Supported) features |= BtfFeatures.Func;
            if (FeatureProbes.BtfFuncGlobal.Supported) features |= BtfFeatures.GlobalFunc;
            if (FeatureProbes.BtfDatasec.Supported) features |= BtfFeatures.Datasec | BtfFeatures.QmarkDatasec;
            if (FeatureProbes.BtfFloat.Supported) features |= BtfFeatures.Float;
            if (FeatureProbes.BtfDeclTag.Supported) features |= BtfFeatures.DeclTag;
            if (FeatureProbes.BtfTypeTag.Supported) features |= BtfFeatures.TypeTag;
            if (FeatureProbes.BtfEnum64.Supported) features |= BtfFeatures.Enum64;
            return features;
        }
    }
}
