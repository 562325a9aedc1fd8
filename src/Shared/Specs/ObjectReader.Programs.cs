using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using BpfSkeleton.Elf;

namespace BpfSkeleton.Specs
{
    internal sealed partial class ObjectReader
    {
        // Programs by section index (null for sections without code), sorted by start, to map
        // relocation offsets to their function.
        private List<ProgramSpec>?[]? _functionsBySection;

        /// <summary>Every FUNC symbol in an executable section is a function: a program, or a subprogram in .text.</summary>
        private void ReadPrograms()
        {
            _functionsBySection = new List<ProgramSpec>?[_elf.SectionArray.Length];
            foreach (var section in _programSections)
            {
                // SHT_NOBITS and SHT_NULL sections carry no bytes in the file, whatever size their header claims.
                if ((ulong)section.Data.Length != section.Size)
                    throw Error(section.Name, 0, $"executable section of type {section.Type} claims {section.Size} bytes of instructions but holds {section.Data.Length} in the file (SHT_NOBITS and SHT_NULL sections hold none)");
                if (section.Size % BpfOpcodes.InstructionSize != 0)
                    throw Error(section.Name, 0, $"size {section.Size} is not a multiple of the 8-byte instruction size");

                var isText = section.Name == ".text";
                var definition = isText ? null : SectionTable.Find(SectionTable.WithoutOptionalMark(section.Name));
                int symbolCount = SymbolCountIn(section.Index);
                var functions = new List<ProgramSpec>(CountFunctionsIn(section.Index, symbolCount));
                HashSet<ulong>? starts = null; // only for sections with many functions
                for (int s = 0; s < symbolCount; s++)
                {
                    var symbol = SymbolInSection(section.Index, s);
                    if (symbol.Type != ElfConstants.STT_FUNC) continue;
                    if (StartsAtTheSameOffset(functions, ref starts, symbol.Value))
                        throw Error(section.Name, (long)symbol.Value, $"two functions start at the same offset ('{symbol.Name}')");
                    if (symbol.Value % BpfOpcodes.InstructionSize != 0 || symbol.Size % BpfOpcodes.InstructionSize != 0 ||
                        symbol.Size > section.Size || symbol.Value > section.Size - symbol.Size || symbol.Size == 0) // no sum: it could wrap
                        throw Error(section.Name, (long)symbol.Value,
                            $"function '{symbol.Name}' (offset {symbol.Value}, size {symbol.Size}) does not fit the section's {section.Size} bytes of instructions");

                    var instructions = DecodeInstructions(section, (int)symbol.Value, (int)symbol.Size);
                    var program = new ProgramSpec(symbol.Name, section.Name, section.Index,
                        (int)(symbol.Value / BpfOpcodes.InstructionSize), instructions, definition, isText);
                    functions.Add(program);
                    (isText ? _spec.Subprograms : _spec.Programs).Add(program);
                }
                functions.Sort((a, b) => a.SectionInstructionOffset.CompareTo(b.SectionInstructionOffset));
                _functionsBySection[section.Index] = functions;
            }
        }

        private int CountFunctionsIn(int sectionIndex, int symbolCount)
        {
            int count = 0;
            for (int s = 0; s < symbolCount; s++)
                if (SymbolInSection(sectionIndex, s).Type == ElfConstants.STT_FUNC) count++;
            return count;
        }

        /// <summary>
        /// Whether an earlier function of the section starts at <paramref name="value"/>. Functions
        /// added so far passed the fit check, so their byte offsets are exact; a misaligned symbol
        /// matches none of them and fails the fit check instead, as it always did. Few functions are
        /// compared one by one; past that, a set of starts takes over.
        /// </summary>
        private static bool StartsAtTheSameOffset(List<ProgramSpec> functions, ref HashSet<ulong>? starts, ulong value)
        {
            const int ScanUpTo = 16;
            if (starts is null)
            {
                if (functions.Count < ScanUpTo)
                {
                    foreach (var function in functions)
                        if ((ulong)function.SectionInstructionOffset * BpfOpcodes.InstructionSize == value) return true;
                    return false;
                }
                starts = new HashSet<ulong>();
                foreach (var function in functions)
                    starts.Add((ulong)function.SectionInstructionOffset * BpfOpcodes.InstructionSize);
            }
            return !starts.Add(value);
        }

        private BpfInstruction[] DecodeInstructions(ElfSection section, int offset, int size)
        {
            var bytes = section.Data.Span.Slice(offset, size);
            var instructions = new BpfInstruction[size / BpfOpcodes.InstructionSize];
            var little = _elf.IsLittleEndian;
            if (little && BitConverter.IsLittleEndian)
            {
                // The file's layout is struct bpf_insn's: a copy decodes it.
#if NETSTANDARD2_0
                MemoryMarshal.Cast<byte, BpfInstruction>(bytes).CopyTo(instructions);
#else
                // A block copy, not MemoryMarshal.Cast + CopyTo: those are framework generics over our struct, which a
                // ReadyToRun image cannot hold, so they were JIT-compiled (7 methods) on every process's first open.
                if (instructions.Length > 0)
                    System.Runtime.CompilerServices.Unsafe.CopyBlockUnaligned(
                        ref System.Runtime.CompilerServices.Unsafe.As<BpfInstruction, byte>(ref instructions[0]),
                        ref System.Runtime.CompilerServices.Unsafe.AsRef(in bytes[0]), (uint)(instructions.Length * BpfOpcodes.InstructionSize));
#endif
                return instructions;
            }
            for (var i = 0; i < instructions.Length; i++)
            {
                var raw = bytes.Slice(i * BpfOpcodes.InstructionSize, BpfOpcodes.InstructionSize);
                // Big-endian objects keep dst_reg in the high nibble; normalize to the host layout.
                var registers = raw[1];
                instructions[i] = new BpfInstruction
                {
                    Opcode = raw[0],
                    Registers = little ? registers : (byte)((registers >> 4) | (registers << 4)),
                    Offset = little ? BinaryPrimitives.ReadInt16LittleEndian(raw.Slice(2)) : BinaryPrimitives.ReadInt16BigEndian(raw.Slice(2)),
                    Immediate = little ? BinaryPrimitives.ReadInt32LittleEndian(raw.Slice(4)) : BinaryPrimitives.ReadInt32BigEndian(raw.Slice(4)),
                };
            }
            return instructions;
        }

        /// <summary>The function of a section containing a section-relative instruction index.</summary>
        private ProgramSpec? FunctionAt(int sectionIndex, int instructionIndex)
        {
            var functions = _functionsBySection![sectionIndex];
            if (functions is null) return null;
            // Records come in instruction order, so the function of the previous lookup usually holds
            // the next; it is the answer when it holds the index and the function after it starts later.
            if (_lastFunctions == functions && Contains(functions[_lastPosition], instructionIndex)
                && (_lastPosition + 1 == functions.Count || functions[_lastPosition + 1].SectionInstructionOffset > instructionIndex))
                return functions[_lastPosition];
            // Sorted by start: the candidate is the last function starting at or before the index.
            int low = 0, high = functions.Count - 1, found = -1;
            while (low <= high)
            {
                int middle = (low + high) >> 1;
                if (functions[middle].SectionInstructionOffset <= instructionIndex) { found = middle; low = middle + 1; }
                else high = middle - 1;
            }
            if (found < 0) return null;
            var function = functions[found];
            if (!Contains(function, instructionIndex)) return null;
            _lastFunctions = functions;
            _lastPosition = found;
            return function;
        }

        private List<ProgramSpec>? _lastFunctions;
        private int _lastPosition;

        private static bool Contains(ProgramSpec function, int instructionIndex)
            => instructionIndex >= function.SectionInstructionOffset && instructionIndex < function.SectionInstructionOffset + function.Instructions.Length;

        private ProgramSpec? FindFunctionByName(string name)
        {
            foreach (var program in _spec.Programs) if (program.Name == name) return program;
            foreach (var program in _spec.Subprograms) if (program.Name == name) return program;
            return null;
        }
    }
}
