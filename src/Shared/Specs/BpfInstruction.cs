using System.Runtime.InteropServices;

namespace BpfSkeleton.Specs
{
    /// <summary>One 8-byte eBPF instruction in the kernel's layout (<c>struct bpf_insn</c>).</summary>
    [StructLayout(LayoutKind.Sequential, Size = 8)]
    public struct BpfInstruction
    {
        /// <summary>The operation: class, size/source and operation bits (<c>code</c>), e.g. 0x85 for a call.</summary>
        public byte Opcode;
        /// <summary>dst_reg in the low nibble, src_reg in the high nibble (little-endian layout).</summary>
        public byte Registers;
        /// <summary>The signed 16-bit offset (<c>off</c>): a jump distance in instructions, or a memory offset in bytes.</summary>
        public short Offset;
        /// <summary>The signed 32-bit immediate (<c>imm</c>): a constant, helper id, or (with the next instruction) half of a 64-bit load.</summary>
        public int Immediate;

        /// <summary>An instruction from its fields; <paramref name="dst"/> and <paramref name="src"/> are register numbers 0–10 (4 bits each).</summary>
        public BpfInstruction(byte opcode, byte dst, byte src, short offset, int immediate)
        {
            Opcode = opcode;
            Registers = (byte)((dst & 0xf) | ((src & 0xf) << 4));
            Offset = offset;
            Immediate = immediate;
        }

        /// <summary>The destination register (dst_reg, 0–15; r0–r10 are valid).</summary>
        public byte DestinationRegister
        {
            readonly get => (byte)(Registers & 0xf);
            set => Registers = (byte)((Registers & 0xf0) | (value & 0xf));
        }

        /// <summary>The source register (src_reg, 0–15); on 64-bit loads and calls a pseudo value instead (e.g. BPF_PSEUDO_MAP_FD, BPF_PSEUDO_CALL).</summary>
        public byte SourceRegister
        {
            readonly get => (byte)(Registers >> 4);
            set => Registers = (byte)((Registers & 0x0f) | ((value & 0xf) << 4));
        }

        /// <summary>The first half of a 16-byte <c>BPF_LD | BPF_IMM | BPF_DW</c> instruction.</summary>
        public readonly bool IsLoadImmediate64 => Opcode == BpfOpcodes.LoadImmediate64;

        /// <summary><c>BPF_JMP | BPF_CALL</c> with src_reg = BPF_PSEUDO_CALL: a call to a BPF subprogram.</summary>
        public readonly bool IsSubprogramCall => Opcode == BpfOpcodes.Call && SourceRegister == BpfOpcodes.PseudoCall;

        /// <summary>A helper or kfunc call (<c>BPF_JMP | BPF_CALL</c> not to a subprogram).</summary>
        public readonly bool IsCall => Opcode == BpfOpcodes.Call;

        /// <summary>The fields in numbers, e.g. "op=0x85 dst=r0 src=r0 off=0 imm=14", for messages.</summary>
        public override readonly string ToString()
            => $"op=0x{Opcode:x2} dst=r{DestinationRegister} src=r{SourceRegister} off={Offset} imm={Immediate}";
    }

    /// <summary>Opcode values and pseudo source registers the loader and relocations need.</summary>
    internal static class BpfOpcodes
    {
        public const byte ClassMask = 0x07;
        public const byte ClassLd = 0x00;
        public const byte ClassLdx = 0x01;
        public const byte ClassSt = 0x02;
        public const byte ClassStx = 0x03;
        public const byte ClassAlu = 0x04;
        public const byte ClassJmp = 0x05;
        public const byte ClassJmp32 = 0x06;
        public const byte ClassAlu64 = 0x07;

        /// <summary>BPF_LD | BPF_IMM | BPF_DW.</summary>
        public const byte LoadImmediate64 = 0x18;
        /// <summary>BPF_JMP | BPF_CALL.</summary>
        public const byte Call = 0x85;
        /// <summary>BPF_JMP | BPF_EXIT.</summary>
        public const byte Exit = 0x95;
        /// <summary>BPF_JMP | BPF_JA.</summary>
        public const byte Jump = 0x05;
        /// <summary>BPF_ALU64 | BPF_MOV | BPF_K.</summary>
        public const byte Mov64Imm = 0xb7;

        // src_reg values of LD_IMM64 (BPF_PSEUDO_*).
        public const byte PseudoMapFd = 1;
        public const byte PseudoMapValue = 2;
        public const byte PseudoBtfId = 3;
        public const byte PseudoFunc = 4;
        public const byte PseudoMapIndex = 5;
        public const byte PseudoMapIndexValue = 6;

        // src_reg values of BPF_CALL.
        public const byte PseudoCall = 1;
        public const byte PseudoKfuncCall = 2;

        public const int InstructionSize = 8;
    }
}
