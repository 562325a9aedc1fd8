using System;
using System.Collections.Generic;
using BpfSkeleton.Btf;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Logging;
using BpfSkeleton.Specs;

namespace BpfSkeleton.Loading
{
    /// <summary>
    /// Prepares the object's BTF for the kernel as libbpf does before BPF_BTF_LOAD: DATASEC sizes
    /// and variable offsets from the ELF (clang leaves them zero), hidden globals and subprograms made static,
    /// extern sections laid out, kinds this kernel lacks rewritten.
    /// </summary>
    internal static class ObjectBtfLoader
    {
        /// <summary>
        /// BTF kinds a light skeleton's loader may leave in the object's BTF: it runs on kernels the recorder cannot
        /// probe, so it assumes what every kernel since 6.0 takes (which also has kernel-side CO-RE and
        /// bpf_sys_bpf) and rewrites newer kinds as it would for such a kernel.
        /// </summary>
        internal const BtfFeatures LoaderKernelFeatures = BtfFeatures.All & ~(BtfFeatures.QmarkDatasec | BtfFeatures.Layout);

        /// <summary>
        /// The object's BTF as this kernel takes it (BPF_BTF_LOAD's blob), or null when the object has none;
        /// with <paramref name="assumed"/>, as a kernel with those features takes it (no probing).
        /// </summary>
        public static byte[]? Prepare(ILoadSource owner, BtfFeatures? assumed = null)
        {
            var btf = owner.Spec.Btf;
            if (btf is null) return null;
            var patcher = new BtfPatcher(btf);
            FixDatasecs(owner.Spec, btf, patcher);
            MakeHiddenSubprogramsStatic(owner.Spec, btf, patcher);
            var supported = assumed ?? SupportedFeatures(btf);
            patcher.Sanitize(supported);
            var blob = patcher.ToArray();
            LoaderLog.ObjectBtfPrepared(owner.Spec.FileName, btf.RawBytes.Length, blob.Length, BtfFeatures.All & ~supported);
            return blob;
        }

        private static void FixDatasecs(BpfObjectSpec spec, BtfSpec btf, BtfPatcher patcher)
        {
            for (var id = btf.FirstTypeId; id <= btf.TypeCount; id++)
            {
                var type = btf.GetType(id);
                if (type.Kind != BtfKind.Datasec) continue;
                // Names stay UTF-8 bytes: nothing here needs them decoded.
                var name = type.NameUtf8;
                if (name.SequenceEqual(".kconfig"u8)) FixKconfig(spec, btf, patcher, id);
                else if (name.SequenceEqual(".ksyms"u8)) FixKsyms(btf, patcher, id);
                else FixSection(spec, btf, patcher, type, name);
            }
        }

        /// <summary>A section's DATASEC: its size, and each variable placed where its ELF symbol says.</summary>
        private static void FixSection(BpfObjectSpec spec, BtfSpec btf, BtfPatcher patcher, BtfType datasec, ReadOnlySpan<byte> name)
        {
            var section = spec.Elf.FindSection(name);
            if (section is null) return;
            int id = datasec.Id;
            var resized = ResizedData(spec, section);
            patcher.SetSize(id, resized is null ? (uint)section.Size : (uint)resized.Size);
            for (var i = 0; i < datasec.Vlen; i++)
            {
                var info = datasec.GetVarSecInfo(i);
                var variable = btf.GetType(info.TypeId);
                if (variable.Kind != BtfKind.Var || variable.VarLinkage == BtfVarLinkage.GlobalExtern) continue;
                var symbol = spec.Elf.FindSymbolInSection(section.Index, variable.NameUtf8);
                if (symbol is null) continue;
                if (resized is not null && resized.Variables[resized.Variables.Count - 1] is var last && last.Name == variable.Name)
                {
                    // The resized section's last variable: a new array of the new length (libbpf's datasec resize).
                    var array = btf.GetType(resized.ResizedArray!.Value.ArrayTypeId).Array;
                    patcher.SetVarType(info.TypeId, patcher.AddArray(array.ElementTypeId, array.IndexTypeId, resized.ResizedArray.Value.Count));
                    patcher.SetVarSecInfo(id, i, (uint)symbol.Value, (uint)last.Size);
                }
                else
                {
                    patcher.SetVarSecInfo(id, i, (uint)symbol.Value, info.Size);
                }
                // A global with hidden/internal visibility behaves as static; say so to the kernel.
                if (symbol.Visibility is Elf.ElfConstants.STV_HIDDEN or Elf.ElfConstants.STV_INTERNAL)
                    patcher.SetVarLinkage(info.TypeId, BtfVarLinkage.Static);
            }
        }

        /// <summary>The section's spec when it was resized and its BTF follows (<see cref="DataSectionSpec.Resize"/>).</summary>
        private static DataSectionSpec? ResizedData(BpfObjectSpec spec, Elf.ElfSection section)
        {
            foreach (var map in spec.Maps) // the list, not DataSections' iterator: this runs for every DATASEC of every load
                if (map.DataSection is { ResizedArray: not null } data && section.NameIs(data.SectionName)) return data;
            return null;
        }

        /// <summary>
        /// A global subprogram is verified alone, with pointer arguments possibly NULL; a static one in
        /// its caller's context. As libbpf does, a global or weak subprogram of hidden or internal
        /// visibility (usdt.bpf.h's __weak __hidden bpf_usdt_arg) gets static linkage in BTF.
        /// </summary>
        private static void MakeHiddenSubprogramsStatic(BpfObjectSpec spec, BtfSpec btf, BtfPatcher patcher)
        {
            // Almost no object has such a function: look for one before building anything.
            HashSet<string>? hidden = null;
            foreach (var symbol in spec.Elf.SymbolArray)
            {
                if (symbol.Type == Elf.ElfConstants.STT_FUNC && symbol.Bind != Elf.ElfConstants.STB_LOCAL
                    && symbol.Visibility is Elf.ElfConstants.STV_HIDDEN or Elf.ElfConstants.STV_INTERNAL
                    && IsSubprogram(spec, symbol.Name))
                    (hidden ??= new HashSet<string>(StringComparer.Ordinal)).Add(symbol.Name);
            }
            if (hidden is null) return;
            for (var id = btf.FirstTypeId; id <= btf.TypeCount; id++)
            {
                var type = btf.GetType(id);
                if (type.Kind == BtfKind.Func && type.FuncLinkage == BtfFuncLinkage.Global && hidden.Contains(type.Name))
                    patcher.SetFuncLinkage(id, BtfFuncLinkage.Static);
            }
        }

        private static bool IsSubprogram(BpfObjectSpec spec, string name)
        {
            foreach (var subprogram in spec.Subprograms)
                if (subprogram.Name == name) return true;
            return false;
        }

        /// <summary>
        /// Places each kconfig VAR where the loader laid it out and, since the kernel wants a
        /// DATASEC's entries in offset order, rewrites the entries sorted (libbpf sorts them too).
        /// </summary>
        private static void FixKconfig(BpfObjectSpec spec, BtfSpec btf, BtfPatcher patcher, int id)
        {
            var data = spec.FindDataSectionMap(".kconfig")?.DataSection;
            if (data is null) return;
            var datasec = btf.GetType(id);
            patcher.SetSize(id, (uint)data.Size);
            var entries = new List<(int VarId, uint Offset, uint Size)>();
            for (var i = 0; i < datasec.Vlen; i++)
            {
                var info = datasec.GetVarSecInfo(i);
                var placed = data.FindVariable(btf.GetType(info.TypeId).Name);
                entries.Add(placed is null ? (info.TypeId, info.Offset, info.Size) : (info.TypeId, (uint)placed.Offset, (uint)placed.Size));
                patcher.SetVarLinkage(info.TypeId, BtfVarLinkage.GlobalAllocated);
            }
            entries.Sort((a, b) => a.Offset.CompareTo(b.Offset));
            for (var i = 0; i < entries.Count; i++)
                patcher.SetVarSecInfo(id, i, entries[i].Offset, entries[i].Size, entries[i].VarId);
        }

        /// <summary>
        /// The kernel accepts only allocated VARs of sized types in a DATASEC, and .ksyms describes
        /// nothing in memory, so as libbpf does every ksym VAR becomes an allocated int and every
        /// extern FUNC entry points at one int VAR (libbpf's dummy_ksym), laid out back to back.
        /// </summary>
        private static void FixKsyms(BtfSpec btf, BtfPatcher patcher, int id)
        {
            var datasec = btf.GetType(id);
            int? intType = null;
            int? dummyVar = null;
            uint offset = 0;
            for (var i = 0; i < datasec.Vlen; i++)
            {
                var info = datasec.GetVarSecInfo(i);
                var type = btf.GetType(info.TypeId);
                intType ??= patcher.AddInt("int", 4, BtfIntFlags.Signed);
                if (type.Kind == BtfKind.Func)
                {
                    dummyVar ??= patcher.AddVar("dummy_ksym", intType.Value, BtfVarLinkage.GlobalAllocated);
                    patcher.SetVarSecInfo(id, i, offset, 4, dummyVar.Value);
                    // The kernel knows no extern FUNC linkage; a global FUNC needs named parameters.
                    patcher.SetFuncLinkage(info.TypeId, BtfFuncLinkage.Global);
                    NameParameters(btf, patcher, type.TypeId);
                }
                else
                {
                    patcher.SetVarType(info.TypeId, intType.Value);
                    patcher.SetVarLinkage(info.TypeId, BtfVarLinkage.GlobalAllocated);
                    patcher.SetVarSecInfo(id, i, offset, 4);
                }
                offset += 4;
            }
            patcher.SetSize(id, offset);
        }

        private static void NameParameters(BtfSpec btf, BtfPatcher patcher, int protoId)
        {
            var proto = btf.GetType(protoId);
            uint? name = null;
            for (var i = 0; i < proto.Vlen; i++)
            {
                var param = proto.GetParam(i);
                if (param.TypeId == 0 || param.NameOffset != 0) continue;
                name ??= patcher.AddString("dummy_ksym");
                patcher.SetParamNameOffset(protoId, i, name.Value);
            }
        }

        /// <summary>
        /// What the kernel takes of the kinds this BTF uses. Only those are probed (each probe once per process):
        /// a kind the object does not use needs no rewrite, so it counts as supported without asking the kernel.
        /// The kind layout section is never kept: kernels before the kind-layout series reject it.
        /// </summary>
        private static BtfFeatures SupportedFeatures(BtfSpec btf)
        {
            var used = UsedFeatures(btf);
            var features = BtfFeatures.All & ~BtfFeatures.Layout & ~used;
            if ((used & BtfFeatures.Func) != 0 && FeatureProbes.BtfFunc.Supported) features |= BtfFeatures.Func;
            if ((used & BtfFeatures.GlobalFunc) != 0 && FeatureProbes.BtfFuncGlobal.Supported) features |= BtfFeatures.GlobalFunc;
            if ((used & BtfFeatures.Datasec) != 0 && FeatureProbes.BtfDatasec.Supported) features |= BtfFeatures.Datasec | BtfFeatures.QmarkDatasec;
            if ((used & BtfFeatures.Float) != 0 && FeatureProbes.BtfFloat.Supported) features |= BtfFeatures.Float;
            if ((used & BtfFeatures.DeclTag) != 0 && FeatureProbes.BtfDeclTag.Supported) features |= BtfFeatures.DeclTag;
            if ((used & BtfFeatures.TypeTag) != 0 && FeatureProbes.BtfTypeTag.Supported) features |= BtfFeatures.TypeTag;
            if ((used & BtfFeatures.Enum64) != 0 && FeatureProbes.BtfEnum64.Supported) features |= BtfFeatures.Enum64;
            return features;
        }

        /// <summary>The features whose kinds occur in <paramref name="btf"/>: the ones the sanitizer might rewrite.</summary>
        private static BtfFeatures UsedFeatures(BtfSpec btf)
        {
            var used = BtfFeatures.None;
            foreach (var kind in btf.OwnKinds)
            {
                used |= (BtfKind)kind switch
                {
                    BtfKind.Func => BtfFeatures.Func | BtfFeatures.GlobalFunc,
                    BtfKind.FuncProto => BtfFeatures.Func,
                    BtfKind.Var or BtfKind.Datasec => BtfFeatures.Datasec | BtfFeatures.QmarkDatasec,
                    BtfKind.Float => BtfFeatures.Float,
                    BtfKind.DeclTag => BtfFeatures.DeclTag,
                    BtfKind.TypeTag => BtfFeatures.TypeTag,
                    // Signed enums came with ENUM64: an ENUM may need the rewrite too.
                    BtfKind.Enum or BtfKind.Enum64 => BtfFeatures.Enum64,
                    _ => BtfFeatures.None,
                };
            }
            return used;
        }
    }
}
