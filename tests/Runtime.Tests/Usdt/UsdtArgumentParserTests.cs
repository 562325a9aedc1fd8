using System;
using BpfSkeleton.Elf;
using BpfSkeleton.Links;
using Xunit;

namespace BpfSkeleton.Runtime.Tests.Usdt;

public class UsdtArgumentParserTests
{
    private const ushort X64 = ElfConstants.EM_X86_64;
    private const ushort Arm64 = ElfConstants.EM_AARCH64;

    // x86-64 struct pt_regs offsets: bp 32, bx 40, r11 48, r9 64, ax 80, cx 88, dx 96, si 104, di 112, ip 128, sp 152.
    [Theory]
    [InlineData("-4@$5", UsdtArgumentKind.Constant, 4, true, 5L, 0)]
    [InlineData("-4@$-9", UsdtArgumentKind.Constant, 4, true, -9L, 0)]
    [InlineData("4@$-294967296", UsdtArgumentKind.Constant, 4, false, -294967296L, 0)]
    [InlineData("8@%rdi", UsdtArgumentKind.Register, 8, false, 0L, 112)]
    [InlineData("-4@%eax", UsdtArgumentKind.Register, 4, true, 0L, 80)]
    [InlineData("-2@%cx", UsdtArgumentKind.Register, 2, true, 0L, 88)]
    [InlineData("-1@%sil", UsdtArgumentKind.Register, 1, true, 0L, 104)]
    [InlineData("1@%r11b", UsdtArgumentKind.Register, 1, false, 0L, 48)]
    [InlineData("-2@%r9w", UsdtArgumentKind.Register, 2, true, 0L, 64)]
    [InlineData("8@-8(%rbp)", UsdtArgumentKind.RegisterDeref, 8, false, -8L, 32)]
    [InlineData("-4@-1204(%rbp)", UsdtArgumentKind.RegisterDeref, 4, true, -1204L, 32)]
    [InlineData("8@(%rsp)", UsdtArgumentKind.RegisterDeref, 8, false, 0L, 152)]
    [InlineData("2@16(%rip)", UsdtArgumentKind.RegisterDeref, 2, false, 16L, 128)]
    [InlineData(" -8 @ 24 ( %rbx ) ", UsdtArgumentKind.RegisterDeref, 8, true, 24L, 40)]
    public void X86Forms(string text, UsdtArgumentKind kind, int size, bool signed, long value, int register)
    {
        var argument = Assert.Single(UsdtArgumentParser.Parse(text, X64));
        Assert.Equal(new UsdtArgument(kind, size, signed, value, (short)register), argument);
        Assert.Equal(64 - size * 8, argument.BitShift);
    }

    [Theory]
    [InlineData("1@-96(%rbp,%rax,8)", -96L, 32, 80, 3)]
    [InlineData("4@(%rdx,%rcx)", 0L, 96, 88, 0)]
    [InlineData("-2@8(%rsi,%rdi,2)", 8L, 104, 112, 1)]
    public void X86ScaledIndex(string text, long offset, int baseRegister, int index, int shift)
    {
        var argument = Assert.Single(UsdtArgumentParser.Parse(text, X64));
        Assert.Equal(UsdtArgumentKind.ScaledIndex, argument.Kind);
        Assert.Equal((offset, (short)baseRegister, (short)index, (byte)shift),
            (argument.ValueOffset, argument.RegisterOffset, argument.IndexRegisterOffset, argument.ScaleShift));
    }

    [Fact]
    public void SeveralArgumentsInOrder()
    {
        var arguments = UsdtArgumentParser.Parse("-4@-1204(%rbp) -4@%edi -8@-1216(%rbp) -8@%r8 -4@$5 -8@%r9 8@%rdx 8@%r10 -4@$-9 -2@%cx -2@%ax -1@%sil", X64);
        Assert.Equal(12, arguments.Length);
        Assert.Equal(UsdtArgumentKind.RegisterDeref, arguments[0].Kind);
        Assert.Equal(-9, arguments[8].ValueOffset);
        Assert.Equal(104, arguments[11].RegisterOffset);
        Assert.Empty(UsdtArgumentParser.Parse("", X64));
        Assert.Empty(UsdtArgumentParser.Parse("  ", X64));
    }

    // arm64 struct user_pt_regs: x0..x30 at 8 × n, sp at 248.
    [Theory]
    [InlineData("-4@[sp, 96]", UsdtArgumentKind.RegisterDeref, 4, true, 96L, 248)]
    [InlineData("-4@[sp]", UsdtArgumentKind.RegisterDeref, 4, true, 0L, 248)]
    [InlineData("8@[x29, -16]", UsdtArgumentKind.RegisterDeref, 8, false, -16L, 232)]
    [InlineData("4@5", UsdtArgumentKind.Constant, 4, false, 5L, 0)]
    [InlineData("-4@-3", UsdtArgumentKind.Constant, 4, true, -3L, 0)]
    [InlineData("-8@x4", UsdtArgumentKind.Register, 8, true, 0L, 32)]
    [InlineData("8@x30", UsdtArgumentKind.Register, 8, false, 0L, 240)]
    public void Arm64Forms(string text, UsdtArgumentKind kind, int size, bool signed, long value, int register)
        => Assert.Equal(new UsdtArgument(kind, size, signed, value, (short)register), Assert.Single(UsdtArgumentParser.Parse(text, Arm64)));

    [Theory]
    [InlineData("8@%rdi 3@%rax", X64, "argument #1 '3@%rax'", "size 3")]
    [InlineData("-4@%xyz", X64, "argument #0 '-4@%xyz'", "unknown register 'xyz'")]
    [InlineData("8@sym(%rip)", X64, "'8@sym(%rip)'", "symbolic offsets")]
    [InlineData("8@-8(%rbp", X64, "'8@-8(%rbp'", "expected ')'")]
    [InlineData("1@(%rbp,%rax,3)", X64, "'1@(%rbp,%rax,3)'", "scale 3")]
    [InlineData("4@$5x", X64, "'4@$5x'", "unexpected 'x'")]
    [InlineData("%rax", X64, "'%rax'", "the argument size")]
    [InlineData("8@x31", Arm64, "'8@x31'", "unknown register 'x31'")]
    [InlineData("8@[x1, ]", Arm64, "'8@[x1,'", "an offset")]
    public void BadSpecsNameTheArgumentAndTheString(string text, ushort machine, string item, string problem)
    {
        var e = Assert.Throws<FormatException>(() => UsdtArgumentParser.Parse(text, machine));
        Assert.Contains(item, e.Message);
        Assert.Contains(problem, e.Message);
        Assert.Contains($"of '{text}'", e.Message);
    }

    [Fact]
    public void AtMostTwelveArguments()
    {
        string thirteen = string.Join(" ", System.Linq.Enumerable.Repeat("8@%rax", 13));
        Assert.Contains("more than 12", Assert.Throws<FormatException>(() => UsdtArgumentParser.Parse(thirteen, X64)).Message);
    }

    [Fact]
    public void OtherMachinesAreRefused()
        => Assert.Contains("not supported", Assert.Throws<FormatException>(() => UsdtArgumentParser.Parse("8@%r1", 22)).Message);
}
