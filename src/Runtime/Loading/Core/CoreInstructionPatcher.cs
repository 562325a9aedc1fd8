using System;
using BpfSkeleton.Specs;

namespace BpfSkeleton.Loading
{
    /// <summary>
    /// Writes a CO-RE result into its instruction as libbpf's bpf_core_patch_insn does: ALU
    /// immediates, LDX/ST/STX offsets (with the access size changed when the field's size did),
    /// LD_IMM64 values; unresolved relocations become a call to an invalid helper.
    /// </summary>
    internal static class CoreInstructionPatcher
    {
        /// <summary>libbpf's poison helper id ("bad relo"); the verifier reports it as "invalid func unknown#195896080".</summary>
        public const int PoisonHelper = 0xbad2310;

        /// <summary>Applies the result; false when the instruction was poisoned instead.</summary>
        public static bool Apply(Span<BpfInstruction> instructions, int at, CoreResult result)
        {
            var instruction = instructions[at];
            var @class = instruction.Opcode & BpfOpcodes.ClassMask;
            var isMemory = @class is BpfOpcodes.ClassLdx or BpfOpcodes.ClassSt or BpfOpcodes.ClassStx;
            if (result.Poison || (isMemory && result.MemorySizeMismatch))
            {
                Poison(instructions, at);
                return false;
            }

            var original = result.OriginalValue;
            var value = result.NewValue;
            switch (@class)
            {
                case BpfOpcodes.ClassAlu:
                case BpfOpcodes.ClassAlu64:
                    if ((instruction.Opcode & 0x08) != 0)
                        throw new CoreRelocationException($"instruction {at} is a register ALU operation, which has no immediate to relocate");
                    // Compared as libbpf does: the signed immediate widened to 64 bits.
                    if (result.Validate && unchecked((ulong)(long)instruction.Immediate) != original)
                        throw Unexpected(at, "ALU immediate", unchecked((ulong)(long)instruction.Immediate), original, value);
                    instruction.Immediate = unchecked((int)value);
                    break;
                case BpfOpcodes.ClassLdx:
                case BpfOpcodes.ClassSt:
                case BpfOpcodes.ClassStx:
                    if (result.Validate && unchecked((ulong)(long)instruction.Offset) != original)
                        throw Unexpected(at, "memory offset", unchecked((ulong)(long)instruction.Offset), original, value);
                    if (value > (ulong)short.MaxValue)
                        throw new CoreRelocationException($"offset {value} does not fit instruction {at}'s 16-bit offset");
                    instruction.Offset = (short)value;
                    if (result.NewSize != result.OriginalSize)
                    {
                        var size = AccessBytes(instruction.Opcode);
                        if (size != result.OriginalSize)
                            throw new CoreRelocationException($"instruction {at} accesses {size} bytes, but the field has {result.OriginalSize}");
                        instruction.Opcode = WithAccessBytes(instruction.Opcode, result.NewSize, at);
                    }
                    break;
                case BpfOpcodes.ClassLd when instruction.IsLoadImmediate64 && at + 1 < instructions.Length:
                {
                    var next = instructions[at + 1];
                    if (instruction.SourceRegister != 0 || instruction.Offset != 0 || next.Opcode != 0 || next.Registers != 0 || next.Offset != 0)
                        throw new CoreRelocationException($"instruction {at} is an LD_IMM64 of an unexpected form");
                    var current = unchecked((uint)instruction.Immediate | ((ulong)(uint)next.Immediate << 32));
                    if (result.Validate && current != original)
                        throw Unexpected(at, "LD_IMM64 value", current, original, value);
                    instruction.Immediate = unchecked((int)value);
                    next.Immediate = unchecked((int)(value >> 32));
                    instructions[at + 1] = next;
                    break;
                }
                default:
                    throw new CoreRelocationException($"instruction {at} (opcode 0x{instruction.Opcode:x2}) cannot carry a CO-RE relocation");
            }
            instructions[at] = instruction;
            return true;
        }

        /// <summary>
        /// Turns the instruction (both halves of an LD_IMM64) into a call to the poison helper: dead
        /// code the verifier prunes, or a reachable one it rejects at this index.
        /// </summary>
        public static void Poison(Span<BpfInstruction> instructions, int at)
        {
            if (instructions[at].IsLoadImmediate64 && at + 1 < instructions.Length)
                instructions[at + 1] = new BpfInstruction(BpfOpcodes.Call, 0, 0, 0, PoisonHelper);
            instructions[at] = new BpfInstruction(BpfOpcodes.Call, 0, 0, 0, PoisonHelper);
        }

        private static CoreRelocationException Unexpected(int at, string what, ulong actual, ulong expected, ulong value)
            => new($"instruction {at}'s {what} is {actual}, but the object's BTF says {expected} (relocating to {value}); the object's code and BTF disagree");

        // BPF_SIZE bits: W = 0x00, H = 0x08, B = 0x10, DW = 0x18.
        private static int AccessBytes(byte opcode) => (opcode & 0x18) switch { 0x00 => 4, 0x08 => 2, 0x10 => 1, _ => 8 };

        private static byte WithAccessBytes(byte opcode, int bytes, int at)
        {
            int bits = bytes switch
            {
                4 => 0x00,
                2 => 0x08,
                1 => 0x10,
                8 => 0x18,
                _ => throw new CoreRelocationException($"instruction {at} cannot access a field of {bytes} bytes"),
            };
            return (byte)((opcode & ~0x18) | bits);
        }
    }
}
