namespace BpfSkeleton.KernelFacts
{
    /// <summary>Encodes the few BPF instructions the feature probes need (one <c>struct bpf_insn</c> per ulong).</summary>
    internal static class Insn
    {
        internal const byte R0 = 0, R1 = 1, R2 = 2, R3 = 3, R10 = 10;
        internal const byte PseudoMapFd = 1;
        internal const byte PseudoMapValue = 2;

        /// <summary>"r0 = 0; exit": the program most probes load. Never written to; the kernel copies it.</summary>
        internal static readonly ulong[] ReturnZero = { Mov64Imm(R0, 0), Exit() };

        internal static ulong Encode(byte code, byte dst, byte src, short offset, int immediate)
            => code | (ulong)(byte)(dst | (src << 4)) << 8 | (ulong)(ushort)offset << 16 | (ulong)(uint)immediate << 32;

        internal static ulong Mov64Imm(byte dst, int immediate) => Encode(0xb7, dst, 0, 0, immediate);

        internal static ulong Mov64Reg(byte dst, byte src) => Encode(0xbf, dst, src, 0, 0);

        internal static ulong Add64Imm(byte dst, int immediate) => Encode(0x07, dst, 0, 0, immediate);

        internal static ulong Call(int helper) => Encode(0x85, 0, 0, 0, helper);

        internal static ulong Exit() => Encode(0x95, 0, 0, 0, 0);

        /// <summary>*(u64 *)(dst + offset) = immediate.</summary>
        internal static ulong StoreImm64(byte dst, short offset, int immediate) => Encode(0x7a, dst, 0, offset, immediate);

        /// <summary>The two halves of a 64-bit immediate load; <paramref name="source"/> selects map fd/value pseudo loads.</summary>
        internal static (ulong First, ulong Second) LoadImm64(byte dst, byte source, int low, int high)
            => (Encode(0x18, dst, source, 0, low), Encode(0, 0, 0, 0, high));
    }
}
