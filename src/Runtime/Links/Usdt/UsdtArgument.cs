namespace BpfSkeleton.Links
{
    /// <summary>Where a USDT argument's value is (usdt.bpf.h's enum __bpf_usdt_arg_type, same numbers).</summary>
    public enum UsdtArgumentKind
    {
        /// <summary>An immediate: the value is <see cref="UsdtArgument.ValueOffset"/> ("-4@$5").</summary>
        Constant = 0,

        /// <summary>A register's contents ("8@%rdi").</summary>
        Register = 1,

        /// <summary>Memory at a register plus <see cref="UsdtArgument.ValueOffset"/> ("-4@-20(%rbp)").</summary>
        RegisterDeref = 2,

        /// <summary>Memory at base + index × scale + offset ("1@-96(%rbp,%rax,8)"); needs usdt.bpf.h from libbpf 1.7+.</summary>
        ScaledIndex = 3,
    }

    /// <summary>One parsed argument of a USDT spec string, in the terms usdt.bpf.h reads.</summary>
    /// <param name="Kind">Where the value is.</param>
    /// <param name="Size">1, 2, 4 or 8 bytes.</param>
    /// <param name="IsSigned">Whether a narrower value is sign-extended (a negative size in the spec string).</param>
    /// <param name="ValueOffset">The constant, or the memory offset added to the register.</param>
    /// <param name="RegisterOffset">offsetof(struct pt_regs, register); 0 for constants.</param>
    /// <param name="IndexRegisterOffset">For <see cref="UsdtArgumentKind.ScaledIndex"/>: the index register's pt_regs offset.</param>
    /// <param name="ScaleShift">For <see cref="UsdtArgumentKind.ScaledIndex"/>: log2 of the scale (0..3).</param>
    public readonly record struct UsdtArgument(UsdtArgumentKind Kind, int Size, bool IsSigned, long ValueOffset,
        short RegisterOffset, short IndexRegisterOffset = 0, byte ScaleShift = 0)
    {
        /// <summary>Bits to shift out so a 1/2/4-byte value widens to 64 bits (usdt.bpf.h's arg_bitshift).</summary>
        public byte BitShift => (byte)(64 - Size * 8);
    }
}
