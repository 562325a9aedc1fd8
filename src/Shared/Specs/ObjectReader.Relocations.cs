using System;
using System.Collections.Generic;
using BpfSkeleton.Btf;
using BpfSkeleton.Elf;

namespace BpfSkeleton.Specs
{
    internal sealed partial class ObjectReader
    {
        /// <summary>
        /// Resolves each REL entry of an executable section to a named target: a map, a global data
        /// offset, a subprogram or an extern. The loader patches instructions from these alone.
        /// </summary>
        private void ReadInstructionRelocations()
        {
            foreach (var section in _programSections)
            {
                var relocations = _elf.GetRelocationSectionFor(section);
                if (relocations is null) continue;
                foreach (var relocation in _elf.ReadRelocations(relocations))
                    ReadInstructionRelocation(section, relocations.Name, relocation);
            }
        }

        private void ReadInstructionRelocation(ElfSection section, string relocationSection, ElfRelocation relocation)
        {
            if (relocation.Offset % BpfOpcodes.InstructionSize != 0)
                throw Error(relocationSection, (long)relocation.Offset, "relocation is not at an instruction boundary");
            var sectionIndex = (int)(relocation.Offset / BpfOpcodes.InstructionSize);
            var function = FunctionAt(section.Index, sectionIndex)
                ?? throw Error(relocationSection, (long)relocation.Offset, $"relocation at instruction {sectionIndex} is outside every function of '{section.Name}'");
            var index = sectionIndex - function.SectionInstructionOffset;
            var instruction = function.Instructions[index];
            var symbol = SymbolOf(relocation, relocationSection);
            string Location() => $"'{function.Name}' instruction {index}"; // for errors only

            if (symbol.SectionIndex == ElfConstants.SHN_UNDEF)
            {
                var extern_ = FindExtern(symbol.Name)
                    ?? throw Error(relocationSection, (long)relocation.Offset, $"{Location()} refers to undefined symbol '{symbol.Name}', which is not a known extern");
                if (instruction.IsCall)
                {
                    if (extern_.Kind != ExternKind.KernelFunction)
                        throw Error(relocationSection, (long)relocation.Offset, $"{Location()} calls '{symbol.Name}', which is a variable, not a kfunc");
                    function.Relocations.Add(new InstructionRelocation(index, RelocationKind.ExternFunction, symbol.Name, 0));
                }
                else
                {
                    RequireLoadImmediate64(function, index, relocationSection, relocation, symbol);
                    function.Relocations.Add(new InstructionRelocation(index, RelocationKind.ExternVariable, symbol.Name, 0));
                }
                return;
            }

            if (instruction.IsCall)
            {
                if (instruction.SourceRegister != BpfOpcodes.PseudoCall)
                    throw Error(relocationSection, (long)relocation.Offset, $"{Location()} is a helper call with a relocation to '{symbol.Name}'");
                var target = SectionAt(symbol.SectionIndex, relocationSection, relocation);
                // Global functions: imm is -1 and the symbol is the callee; static: section symbol + imm.
                var targetIndex = (long)(symbol.Value / BpfOpcodes.InstructionSize) + instruction.Immediate + 1;
                function.Relocations.Add(new InstructionRelocation(index, RelocationKind.SubprogramCall, target.Name, targetIndex));
                return;
            }

            RequireLoadImmediate64(function, index, relocationSection, relocation, symbol);
            var targetSection = SectionAt(symbol.SectionIndex, relocationSection, relocation);
            if (targetSection.IsExecutable)
            {
                // A subprogram's address (callbacks): the section symbol plus a byte offset in imm.
                var targetIndex = ((long)symbol.Value + instruction.Immediate) / BpfOpcodes.InstructionSize;
                function.Relocations.Add(new InstructionRelocation(index, RelocationKind.SubprogramAddress, targetSection.Name, targetIndex));
            }
            else if (targetSection == _mapsSection)
            {
                var map = DeclaredMapAt((int)symbol.Value)
                    ?? throw Error(relocationSection, (long)relocation.Offset, $"{Location()} refers to '{symbol.Name}' in .maps, which is not a map");
                function.Relocations.Add(new InstructionRelocation(index, RelocationKind.MapReference, map.Name, 0));
            }
            else if (targetSection == _legacyMapsSection)
            {
                var map = LegacyMapAt((long)symbol.Value + instruction.Immediate)
                    ?? throw Error(relocationSection, (long)relocation.Offset, $"{Location()} refers to '{symbol.Name}' in the legacy maps section, which is not a map definition");
                function.Relocations.Add(new InstructionRelocation(index, RelocationKind.MapReference, map.Name, 0));
            }
            else if (targetSection == _arenaSection)
            {
                var offset = (long)symbol.Value + instruction.Immediate;
                var size = _spec.ArenaGlobals!.Size;
                if (offset < 0 || offset > size)
                    throw Error(relocationSection, (long)relocation.Offset, $"{Location()} points {offset} bytes into '{targetSection.Name}', outside its {size} bytes");
                function.Relocations.Add(new InstructionRelocation(index, RelocationKind.ArenaReference, _spec.ArenaMap!.Name, offset));
            }
            else if (_dataSections.Contains(targetSection)) // holds only global data sections
            {
                var map = _spec.FindDataSectionMap(targetSection.Name)!;
                var offset = (long)symbol.Value + instruction.Immediate;
                if (offset < 0 || offset > map.ValueSize)
                    throw Error(relocationSection, (long)relocation.Offset, $"{Location()} points {offset} bytes into '{targetSection.Name}', outside its {map.ValueSize} bytes");
                function.Relocations.Add(new InstructionRelocation(index, RelocationKind.DataReference, map.Name, offset));
            }
            else
            {
                throw Error(relocationSection, (long)relocation.Offset,
                    $"{Location()} refers to '{symbol.Name}' in section '{targetSection.Name}', which is neither a map, global data nor code");
            }
        }

        private void RequireLoadImmediate64(ProgramSpec function, int index, string relocationSection, ElfRelocation relocation, ElfSymbol symbol)
        {
            if (!function.Instructions[index].IsLoadImmediate64 || index + 1 >= function.Instructions.Length)
                throw Error(relocationSection, (long)relocation.Offset,
                    $"'{function.Name}' instruction {index} refers to '{symbol.Name}' but is not a 64-bit immediate load (opcode 0x{function.Instructions[index].Opcode:x2})");
        }

        private ElfSection SectionAt(int index, string relocationSection, ElfRelocation relocation)
        {
            if (index <= 0 || index >= _elf.Sections.Count)
                throw Error(relocationSection, (long)relocation.Offset, $"relocation's symbol is in section {index}, which does not exist");
            return _elf.Sections[index];
        }

        private ExternSpec? FindExtern(string name)
        {
            foreach (var extern_ in _spec.Externs) if (extern_.Name == name) return extern_;
            return null;
        }

        /// <summary>Splits the section-wide BTF.ext records among the functions they fall in, rebased to instruction indices.</summary>
        private void AssignDebugInfo()
        {
            var ext = _spec.BtfExt;
            if (ext is null) return;
            foreach (var section in _programSections)
            {
                var functions = _functionsBySection![section.Index]!;
                if (ext.FuncInfoMap.TryGetRecords(section.Name, out var funcInfos))
                {
                    var counts = CountPerFunction(section, funcInfos, FuncInfoOffset, "func_info");
                    for (int f = 0; f < functions.Count; f++) functions[f].FuncInfos.Reserve(counts[f]);
                    for (int r = 0; r < funcInfos.Length; r++)
                    {
                        var record = funcInfos[r];
                        var (function, index) = Locate(section, record.InsnOffset, "func_info");
                        function.FuncInfos.Add(new FuncInfoRecord(index, record.TypeId));
                        if (index == 0) function.FuncTypeId = record.TypeId;
                    }
                }
                if (ext.LineInfoMap.TryGetRecords(section.Name, out var lineInfos))
                {
                    var counts = CountPerFunction(section, lineInfos, LineInfoOffset, "line_info");
                    for (int f = 0; f < functions.Count; f++) functions[f].LineInfos.Reserve(counts[f]);
                    for (int r = 0; r < lineInfos.Length; r++)
                    {
                        var record = lineInfos[r];
                        var (function, index) = Locate(section, record.InsnOffset, "line_info");
                        function.LineInfos.Add(new LineInfoRecord(index, record.FileNameOffset, record.LineOffset, record.LineCol));
                    }
                }
                if (ext.CoreReloMap.TryGetRecords(section.Name, out var coreRelos))
                {
                    var counts = CountPerFunction(section, coreRelos, CoreReloOffset, "CO-RE relocation");
                    for (int f = 0; f < functions.Count; f++) functions[f].CoreRelocations.Reserve(counts[f]);
                    for (int r = 0; r < coreRelos.Length; r++)
                    {
                        var record = coreRelos[r];
                        var (function, index) = Locate(section, record.InsnOffset, "CO-RE relocation");
                        function.CoreRelocations.Add(new CoreRelocationRecord(index, record.TypeId, record.Kind, record.AccessString, record.AccessStringOffset));
                    }
                }
            }
        }

        private static readonly Func<BtfFuncInfo, uint> FuncInfoOffset = record => record.InsnOffset;
        private static readonly Func<BtfLineInfo, uint> LineInfoOffset = record => record.InsnOffset;
        private static readonly Func<BtfCoreRelo, uint> CoreReloOffset = record => record.InsnOffset;

        // Reused by CountPerFunction: one count per function of the section being split.
        private int[] _recordCounts = Array.Empty<int>();

        /// <summary>
        /// How many of the records fall in each function of the section (by position in its sorted
        /// function list), so each function's list is allocated once at its final size. A bad record
        /// throws here, with the same error the assignment would report.
        /// </summary>
        private int[] CountPerFunction<T>(ElfSection section, T[] records, Func<T, uint> offsetOf, string what)
        {
            int functionCount = _functionsBySection![section.Index]!.Count;
            if (_recordCounts.Length < functionCount) _recordCounts = new int[functionCount];
            Array.Clear(_recordCounts, 0, functionCount);
            for (int r = 0; r < records.Length; r++)
            {
                Locate(section, offsetOf(records[r]), what);
                _recordCounts[_lastPosition]++;
            }
            return _recordCounts;
        }

        private (ProgramSpec Function, int Index) Locate(ElfSection section, uint byteOffset, string what)
        {
            if (byteOffset % BpfOpcodes.InstructionSize != 0)
                throw Error(".BTF.ext", byteOffset, $"{what} record for '{section.Name}' is not at an instruction boundary");
            var sectionIndex = (int)(byteOffset / BpfOpcodes.InstructionSize);
            var function = FunctionAt(section.Index, sectionIndex)
                ?? throw Error(".BTF.ext", byteOffset, $"{what} record for '{section.Name}' points at instruction {sectionIndex}, outside every function");
            return (function, sectionIndex - function.SectionInstructionOffset);
        }
    }
}
