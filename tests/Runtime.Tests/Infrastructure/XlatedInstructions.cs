namespace BpfSkeleton.Runtime.Tests.Infrastructure;

/// <summary>The kernel's translated instructions, made comparable across loads.</summary>
public static class XlatedInstructions
{
    /// <summary>Masks the map id in the first half of map LD_IMM64s (src_reg 1 or 2); the offset in the second half stays.</summary>
    public static ulong[] WithoutMapIds(ulong[] instructions)
    {
        var copy = (ulong[])instructions.Clone();
        for (var i = 0; i < copy.Length; i++)
        {
            var opcode = (byte)copy[i];
            var source = (copy[i] >> 12) & 0xf;
            if (opcode == 0x18 && source is 1 or 2) copy[i] &= 0x0000_0000_ffff_ffff;
            if (opcode == 0x18) i++;
        }
        return copy;
    }
}
