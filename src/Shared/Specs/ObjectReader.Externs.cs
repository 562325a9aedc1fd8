using System;
using System.Collections.Generic;
using BpfSkeleton.Btf;
using BpfSkeleton.Elf;

namespace BpfSkeleton.Specs
{
    internal sealed partial class ObjectReader
    {
        /// <summary>
        /// Undefined ELF symbols are externs; BTF says what they are: a VAR in <c>.kconfig</c>
        /// (kconfig value), another extern VAR (<c>__ksym</c> variable) or an extern FUNC (kfunc).
        /// Kconfig externs are laid out in a <c>.kconfig</c> map the loader fills, as libbpf does.
        /// </summary>
        private static readonly byte[] KconfigSection = System.Text.Encoding.ASCII.GetBytes(".kconfig");

        private static readonly byte[] KsymsSection = System.Text.Encoding.ASCII.GetBytes(".ksyms");

        private void ReadExterns()
        {
            // Sets and lists made only when an object has externs: most have none, and a framework generic
            // over a value type made at every open is code ReadyToRun leaves to the JIT.
            HashSet<int>? kconfigVars = null;
            var kconfigSec = 0;
            if (_btf is not null && _btf.TryFindByName(KconfigSection, BtfKind.Datasec, out kconfigSec))
            {
                var datasec = _btf.GetType(kconfigSec);
                kconfigVars = new HashSet<int>();
                for (var i = 0; i < datasec.Vlen; i++)
                {
                    var entry = datasec.GetVarSecInfo(i).TypeId;
                    if (_btf.GetType(entry).Kind != BtfKind.Var) // the loader places each entry as a variable
                        throw Error(".kconfig", i, $"DATASEC '.kconfig' entry {i} is a {_btf.GetType(entry).Kind} (type {entry}), not a VAR");
                    kconfigVars.Add(entry);
                }
            }
            // A kfunc is an extern FUNC that __ksym put in .ksyms; any other extern FUNC names nothing the kernel
            // can resolve (libbpf refuses it too), and the kernel would reject the BTF with "Invalid func linkage".
            HashSet<int>? ksymFuncs = null;
            if (_btf is not null && _btf.TryFindByName(KsymsSection, BtfKind.Datasec, out var ksymsSec))
            {
                var datasec = _btf.GetType(ksymsSec);
                ksymFuncs = new HashSet<int>();
                for (var i = 0; i < datasec.Vlen; i++)
                {
                    var entry = _btf.GetType(datasec.GetVarSecInfo(i).TypeId);
                    // The loader turns VARs into ints and names each FUNC's parameters: nothing else can be there.
                    if (entry.Kind != BtfKind.Var && !(entry.Kind == BtfKind.Func && _btf.GetType(entry.TypeId).Kind == BtfKind.FuncProto))
                        throw Error(".ksyms", i, $"DATASEC '.ksyms' entry {i} is a {entry.Kind} (type {entry.Id}), not a VAR or a FUNC with a prototype");
                    ksymFuncs.Add(entry.Id);
                }
            }

            List<(string Name, int TypeId, int Size, int Align, bool Weak)>? kconfig = null;
            foreach (var symbol in _elf.Symbols)
            {
                if (symbol.Index == 0 || symbol.SectionIndex != ElfConstants.SHN_UNDEF || symbol.HasEmptyName) continue;
                if (symbol.Type == ElfConstants.STT_SECTION || symbol.Type == ElfConstants.STT_FILE) continue;
                var btf = RequireBtf(".symtab", $"extern '{symbol.Name}'");
                var weak = symbol.Bind == ElfConstants.STB_WEAK;

                if (btf.TryFindByName(symbol.NameUtf8, BtfKind.Func, out var funcId) &&
                    btf.GetType(funcId).FuncLinkage == BtfFuncLinkage.Extern)
                {
                    if (ksymFuncs is null || !ksymFuncs.Contains(funcId))
                        throw Error(".symtab", symbol.Index,
                            $"extern function '{symbol.Name}' is not a kfunc (it is not in .ksyms) and nothing in the object defines it; declare a kernel function with __ksym (extern ... __ksym;), or define the function in this object");
                    _spec.Externs.Add(new ExternSpec(symbol.Name, ExternKind.KernelFunction, weak,
                        btf.GetType(funcId).TypeId, 0, 0, isTyped: true));
                    continue;
                }
                if (!btf.TryFindByName(symbol.NameUtf8, BtfKind.Var, out var varId))
                    throw Error(".symtab", symbol.Index, $"extern '{symbol.Name}' has no BTF VAR or FUNC describing it");
                var variable = btf.GetType(varId);
                var typeId = btf.SkipModifiers(variable.TypeId);

                if (kconfigVars is not null && kconfigVars.Contains(varId))
                {
                    // libbpf's kconfig values are scalars and char arrays: a few bytes, so any size past an image is malformed.
                    var size = btf.ResolveSize(typeId);
                    var align = btf.ResolveAlignment(typeId);
                    if (size <= 0 || size > DataSectionSpec.MaxImageSize || align > 4096)
                        throw Error(".kconfig", symbol.Index, $"kconfig extern '{symbol.Name}' has a type of {size} bytes aligned to {align}, which no CONFIG_ value has");
                    (kconfig ??= new List<(string Name, int TypeId, int Size, int Align, bool Weak)>()).Add((symbol.Name, variable.TypeId, (int)size, Math.Max(1, align), weak));
                }
                else
                {
                    var typed = typeId != 0;
                    // A ksym of a type the object only forward-declares (struct x; extern struct x sym __ksym;)
                    // has no size here, and needs none: the kernel's BTF id is all the loader resolves.
                    var sized = typed && btf.GetType(btf.SkipModifiersAndTypedefs(typeId)).Kind != BtfKind.Forward;
                    var ksymSize = sized ? btf.ResolveSize(typeId) : 0;
                    if (ksymSize > int.MaxValue)
                        throw Error(".ksyms", symbol.Index, $"ksym '{symbol.Name}' has a type of {ksymSize} bytes, larger than any kernel variable");
                    _spec.Externs.Add(new ExternSpec(symbol.Name, ExternKind.KernelSymbol, weak, typed ? variable.TypeId : 0,
                        0, (int)ksymSize, typed));
                }
            }
            if (kconfig is not null) LayOutKconfig(kconfig, kconfigSec);
        }

        // libbpf's order (cmp_externs): alignment descending, then size ascending, then name, so
        // offsets (and the relocated code) match what libbpf produces for the same object.
        private void LayOutKconfig(List<(string Name, int TypeId, int Size, int Align, bool Weak)> externs, int datasecId)
        {
            externs.Sort((a, b) => a.Align != b.Align ? b.Align.CompareTo(a.Align)
                : a.Size != b.Size ? a.Size.CompareTo(b.Size)
                : string.CompareOrdinal(a.Name, b.Name));
            long offset = 0; // long: sizes were checked one by one, their sum is checked below
            var placed = new List<(string Name, int TypeId, int Size, int Offset, bool Weak)>();
            foreach (var e in externs)
            {
                offset = (offset + e.Align - 1) / e.Align * e.Align;
                if (offset + e.Size > DataSectionSpec.MaxImageSize)
                    throw Error(".kconfig", 0, $"kconfig externs end past {DataSectionSpec.MaxImageSize} bytes at '{e.Name}'");
                placed.Add((e.Name, e.TypeId, e.Size, (int)offset, e.Weak));
                offset += e.Size;
            }
            // libbpf's value size: the end of the last variable, unpadded (the kernel pads array values itself),
            // which is also the size its DATASEC fixup writes into BTF.
            var size = (int)offset;
            var data = new DataSectionSpec(".kconfig", DataSectionKind.Kconfig, size, datasecId); // zeros until load fills the values
            foreach (var e in placed)
            {
                data.Variables.Add(new DataVariable(e.Name, e.Offset, e.Size, e.TypeId, isGlobal: true));
                _spec.Externs.Add(new ExternSpec(e.Name, ExternKind.Kconfig, e.Weak, e.TypeId, e.Offset, e.Size, isTyped: true));
            }
            var map = new MapSpec(InternalMapName(".kconfig"), MapOrigin.GlobalData)
            {
                Type = BpfMapType.Array,
                KeySize = 4,
                ValueSize = (uint)size,
                MaxEntries = 1,
                ValueTypeId = datasecId,
            };
            map.DataSection = data;
            _spec.Maps.Add(map);
        }
    }
}
