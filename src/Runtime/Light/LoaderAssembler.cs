using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using BpfSkeleton.Specs;

namespace BpfSkeleton.Light
{
    /// <summary>
    /// Writes the light skeleton's loader program: the few BPF instructions a straight-line replay of syscalls
    /// needs (moves, loads and stores, helper calls, forward jumps to labels). Offsets beyond a 16-bit field
    /// go through a scratch register, so the loader's data may be larger than 32 KiB.
    /// </summary>
    internal sealed class LoaderAssembler
    {
        private const byte ScratchRegister = 5;
        private readonly List<BpfInstruction> _code = new();
        private readonly List<int> _labels = new();
        private readonly List<(int Instruction, int Label)> _jumps = new();

        public int Count => _code.Count;

        public int NewLabel()
        {
            _labels.Add(-1);
            return _labels.Count - 1;
        }

        public void Mark(int label) => _labels[label] = _code.Count;

        public void MoveImmediate(byte dst, int value) => Emit(BpfOpcodes.Mov64Imm, dst, 0, 0, value);

        public void Move(byte dst, byte src) => Emit(0xbf, dst, src, 0, 0); // BPF_ALU64 | BPF_MOV | BPF_X

        public void AddImmediate(byte dst, int value) => Emit(0x07, dst, 0, 0, value); // BPF_ALU64 | BPF_ADD | BPF_K

        /// <summary>
        /// LD_IMM64 of the address of a value of the map at <paramref name="fdArrayIndex"/> of the program's fd_array
        /// (BPF_PSEUDO_MAP_IDX_VALUE): the instructions name no fd, so they are the same on every run (and signable).
        /// </summary>
        public void LoadMapValueAddress(byte dst, int fdArrayIndex, int offset)
        {
            Emit(BpfOpcodes.LoadImmediate64, dst, BpfOpcodes.PseudoMapIndexValue, 0, fdArrayIndex);
            Emit(0, 0, 0, 0, offset);
        }

        /// <summary>LD_IMM64 of the map itself (its <c>struct bpf_map</c>) at <paramref name="fdArrayIndex"/> of the fd_array (BPF_PSEUDO_MAP_IDX).</summary>
        public void LoadMapPointer(byte dst, int fdArrayIndex)
        {
            Emit(BpfOpcodes.LoadImmediate64, dst, BpfOpcodes.PseudoMapIndex, 0, fdArrayIndex);
            Emit(0, 0, 0, 0, 0);
        }

        /// <summary>LD_IMM64 of a 64-bit constant; returns the instruction's index, for <see cref="SetImmediate64"/>.</summary>
        public int LoadImmediate64(byte dst, ulong value)
        {
            int at = _code.Count;
            Emit(BpfOpcodes.LoadImmediate64, dst, 0, 0, (int)(uint)value);
            Emit(0, 0, 0, 0, (int)(uint)(value >> 32));
            return at;
        }

        /// <summary>Sets the constant of the LD_IMM64 at <paramref name="at"/> (one placed before the value was known).</summary>
        public void SetImmediate64(int at, ulong value)
        {
            var low = _code[at];
            low.Immediate = (int)(uint)value;
            _code[at] = low;
            var high = _code[at + 1];
            high.Immediate = (int)(uint)(value >> 32);
            _code[at + 1] = high;
        }

        /// <summary>if reg != value goto label.</summary>
        public void JumpIfNotEqual(byte register, int value, int label) => JumpTo(0x55, register, 0, value, label); // BPF_JMP | BPF_JNE | BPF_K

        /// <summary>if dst != src goto label.</summary>
        public void JumpIfNotEqualRegister(byte dst, byte src, int label) => JumpTo(0x5d, dst, src, 0, label); // BPF_JMP | BPF_JNE | BPF_X

        public void Load(byte dst, byte src, int offset, int size) => Memory(0x61, dst, src, offset, size, isStore: false);

        public void Store(byte dst, int offset, byte src, int size) => Memory(0x63, dst, src, offset, size, isStore: true);

        public void ShiftRightImmediate(byte dst, int bits) => Emit(0x77, dst, 0, 0, bits); // BPF_ALU64 | BPF_RSH | BPF_K

        /// <summary>if reg == 0 goto label.</summary>
        public void JumpIfZero(byte register, int label) => JumpTo(0x15, register, 0, 0, label); // BPF_JMP | BPF_JEQ | BPF_K

        public void Call(int helper) => Emit(BpfOpcodes.Call, 0, 0, 0, helper);

        public void Exit() => Emit(BpfOpcodes.Exit, 0, 0, 0, 0);

        public void Jump(int label) => JumpTo(BpfOpcodes.Jump, 0, 0, 0, label);

        /// <summary>if (s64)reg &lt; value goto label.</summary>
        public void JumpIfNegative(byte register, int label) => JumpTo(0xc5, register, 0, 0, label); // BPF_JMP | BPF_JSLT | BPF_K

        /// <summary>if (s32)reg &lt; 0 skip the next <paramref name="count"/> instructions.</summary>
        public void SkipIfNegative32(byte register, short count) => Emit(0xc6, register, 0, count, 0); // BPF_JMP32 | BPF_JSLT | BPF_K

        /// <summary>The program, with every jump resolved; fails if a jump is beyond the 16-bit range.</summary>
        public ulong[] Finish()
        {
            foreach (var (instruction, label) in _jumps)
            {
                int target = _labels[label];
                if (target < 0) throw new InvalidOperationException($"loader label {label} was never placed");
                int distance = target - instruction - 1;
                if (distance > short.MaxValue)
                    throw new BpfLoadException($"the light skeleton's loader is too large: a jump spans {distance} instructions, more than the {short.MaxValue} one BPF jump can");
                var jump = _code[instruction];
                jump.Offset = (short)distance;
                _code[instruction] = jump;
            }
            return MemoryMarshal.Cast<BpfInstruction, ulong>(_code.ToArray().AsSpan()).ToArray();
        }

        private void JumpTo(byte opcode, byte register, byte source, int value, int label)
        {
            _jumps.Add((_code.Count, label));
            Emit(opcode, register, source, 0, value);
        }

        /// <summary>A load or store of 1, 2, 4 or 8 bytes; <paramref name="baseOpcode"/> is the word form.</summary>
        private void Memory(byte baseOpcode, byte dst, byte src, int offset, int size, bool isStore)
        {
            byte sizeBits = size switch { 4 => 0x00, 2 => 0x08, 1 => 0x10, 8 => 0x18, _ => throw new ArgumentOutOfRangeException(nameof(size)) };
            byte opcode = (byte)((baseOpcode & ~0x18) | sizeBits);
            byte address = isStore ? dst : src;
            if (offset > short.MaxValue)
            {
                Move(ScratchRegister, address);
                AddImmediate(ScratchRegister, offset);
                address = ScratchRegister;
                offset = 0;
            }
            if (isStore) Emit(opcode, address, src, (short)offset, 0);
            else Emit(opcode, dst, address, (short)offset, 0);
        }

        private void Emit(byte opcode, byte dst, byte src, short offset, int immediate)
            => _code.Add(new BpfInstruction(opcode, dst, src, offset, immediate));
    }
}
