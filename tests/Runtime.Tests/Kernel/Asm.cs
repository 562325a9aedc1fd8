namespace BpfSkeleton.Runtime.Tests.Kernel;

/// <summary>A tiny BPF assembler: one ulong per instruction, two for 64-bit immediate loads.</summary>
internal static class Asm
{
    public const byte R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5, R6 = 6, R7 = 7, R8 = 8, R9 = 9, R10 = 10;

    public static ulong Encode(byte code, byte dst, byte src, short offset, int imm)
        => code | (ulong)(byte)(dst | (src << 4)) << 8 | (ulong)(ushort)offset << 16 | (ulong)(uint)imm << 32;

    public static ulong Mov64Imm(byte dst, int imm) => Encode(0xb7, dst, 0, 0, imm);
    public static ulong Mov64Reg(byte dst, byte src) => Encode(0xbf, dst, src, 0, 0);
    public static ulong Add64Imm(byte dst, int imm) => Encode(0x07, dst, 0, 0, imm);
    public static ulong Add64Reg(byte dst, byte src) => Encode(0x0f, dst, src, 0, 0);
    public static ulong Call(int helper) => Encode(0x85, 0, 0, 0, helper);
    public static ulong Exit() => Encode(0x95, 0, 0, 0, 0);

    /// <summary>if dst == imm goto +offset</summary>
    public static ulong JeqImm(byte dst, int imm, short offset) => Encode(0x15, dst, 0, offset, imm);

    /// <summary>*(u32 *)(dst + off) = imm</summary>
    public static ulong StW(byte dst, short off, int imm) => Encode(0x62, dst, 0, off, imm);
    /// <summary>*(u64 *)(dst + off) = imm</summary>
    public static ulong StDw(byte dst, short off, int imm) => Encode(0x7a, dst, 0, off, imm);
    /// <summary>*(u64 *)(dst + off) = src</summary>
    public static ulong StxDw(byte dst, short off, byte src) => Encode(0x7b, dst, src, off, 0);
    /// <summary>dst = *(u64 *)(src + off)</summary>
    public static ulong LdxDw(byte dst, byte src, short off) => Encode(0x79, dst, src, off, 0);
    /// <summary>dst = *(u32 *)(src + off)</summary>
    public static ulong LdxW(byte dst, byte src, short off) => Encode(0x61, dst, src, off, 0);
    /// <summary>lock *(u64 *)(dst + off) += src</summary>
    public static ulong AtomicAddDw(byte dst, short off, byte src) => Encode(0xdb, dst, src, off, 0);

    public static ulong[] LdMapFd(byte dst, int mapFd) => new[] { Encode(0x18, dst, 1, 0, mapFd), 0UL };
    public static ulong[] LdMapValue(byte dst, int mapFd, int offset) => new[] { Encode(0x18, dst, 2, 0, mapFd), Encode(0, 0, 0, 0, offset) };

    public static ulong[] Program(params object[] parts)
    {
        var list = new System.Collections.Generic.List<ulong>();
        foreach (object part in parts)
        {
            if (part is ulong single) list.Add(single);
            else list.AddRange((ulong[])part);
        }
        return list.ToArray();
    }

    public const int HelperMapLookupElem = 1;
    public const int HelperGetSmpProcessorId = 8;
    public const int HelperSeqWrite = 127;

    /// <summary>
    /// Program body that looks up key 0 in the array map and atomically adds 1 to its u64 value;
    /// returns <paramref name="returnValue"/>.
    /// </summary>
    public static ulong[] IncrementKeyZero(int mapFd, int returnValue = 0) => Program(
        StW(R10, -4, 0),                 // key = 0 on the stack
        LdMapFd(R1, mapFd),
        Mov64Reg(R2, R10),
        Add64Imm(R2, -4),
        Call(HelperMapLookupElem),
        JeqImm(R0, 0, 2),                // NULL: skip the add
        Mov64Imm(R1, 1),
        AtomicAddDw(R0, 0, R1),
        Mov64Imm(R0, returnValue),
        Exit());
}
