using BpfSkeleton.Elf;

namespace BpfSkeleton.Links
{
    /// <summary>
    /// Offsets of user registers in the kernel's struct pt_regs, which is the context of a uprobe
    /// program: usdt.bpf.h reads a register argument at ctx + offset.
    /// </summary>
    internal static class UsdtRegisters
    {
        /// <summary>x86-64 struct pt_regs: r15 r14 r13 r12 bp bx r11 r10 r9 r8 ax cx dx si di orig_ax ip cs flags sp ss, 8 bytes each.</summary>
        private static readonly string[][] s_x86 =
        {
            new[] { "r15", "r15d", "r15w", "r15b" },
            new[] { "r14", "r14d", "r14w", "r14b" },
            new[] { "r13", "r13d", "r13w", "r13b" },
            new[] { "r12", "r12d", "r12w", "r12b" },
            new[] { "rbp", "ebp", "bp", "bpl" },
            new[] { "rbx", "ebx", "bx", "bl" },
            new[] { "r11", "r11d", "r11w", "r11b" },
            new[] { "r10", "r10d", "r10w", "r10b" },
            new[] { "r9", "r9d", "r9w", "r9b" },
            new[] { "r8", "r8d", "r8w", "r8b" },
            new[] { "rax", "eax", "ax", "al" },
            new[] { "rcx", "ecx", "cx", "cl" },
            new[] { "rdx", "edx", "dx", "dl" },
            new[] { "rsi", "esi", "si", "sil" },
            new[] { "rdi", "edi", "di", "dil" },
            new string[0],                      // orig_ax
            new[] { "rip", "eip" },
            new string[0],                      // cs
            new string[0],                      // flags
            new[] { "rsp", "esp", "sp", "spl" },
        };

        /// <summary>arm64 struct user_pt_regs: x0..x30, then sp, pc, pstate.</summary>
        private const int Arm64StackPointer = 31 * 8;

        /// <summary>The pt_regs offset of <paramref name="name"/> (without '%'), or -1 when the machine has no such register.</summary>
        public static int OffsetOf(ushort machine, string name)
        {
            if (machine == ElfConstants.EM_X86_64)
            {
                for (int slot = 0; slot < s_x86.Length; slot++)
                {
                    if (System.Array.IndexOf(s_x86[slot], name) >= 0)
                        return slot * 8;
                }
                return -1;
            }
            if (machine == ElfConstants.EM_AARCH64)
            {
                if (name == "sp")
                    return Arm64StackPointer;
                if (name.Length >= 2 && name[0] == 'x' && int.TryParse(name.Substring(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int number) && number < 31
                    && name.Substring(1) == number.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    return number * 8;
                return -1;
            }
            return -1;
        }
    }
}
