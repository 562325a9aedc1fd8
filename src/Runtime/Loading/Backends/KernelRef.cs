namespace BpfSkeleton.Loading
{
    /// <summary>What a <see cref="KernelRef"/> names.</summary>
    internal enum KernelRefKind : byte
    {
        /// <summary>Nothing: the value 0 (fd_array slot 0, vmlinux).</summary>
        None,
        /// <summary>One of the object's maps, by its index in <see cref="ILoadSource.Maps"/>.</summary>
        Map,
        /// <summary>One of the object's programs, by its index in <see cref="ILoadSource.Programs"/>.</summary>
        Program,
        /// <summary>A kernel module's BTF, by the module's name.</summary>
        ModuleBtf,
    }

    /// <summary>
    /// A kernel object a load makes or uses, named before it exists. The plan refers to objects only this way;
    /// a back-end turns a reference into something the kernel reads: the live one into an fd, the light
    /// skeleton's recorder into a slot of its loader's fd table. The object's own BTF needs no reference: a map
    /// creation or program load says "with the object's BTF" (<see cref="MapCreation.WithObjectBtf"/>).
    /// </summary>
    internal readonly record struct KernelRef(KernelRefKind Kind, int Index = 0, string? Module = null)
    {
        public static KernelRef None => default;

        public static KernelRef Map(int index) => new(KernelRefKind.Map, index);

        public static KernelRef Program(int index) => new(KernelRefKind.Program, index);

        public static KernelRef ModuleBtf(string module) => new(KernelRefKind.ModuleBtf, 0, module);

        public override string ToString() => Kind switch
        {
            KernelRefKind.None => "0",
            KernelRefKind.Map => $"map #{Index}",
            KernelRefKind.Program => $"program #{Index}",
            _ => $"module BTF '{Module}'",
        };
    }

    /// <summary>Which 32-bit field of an instruction takes a reference's fd.</summary>
    internal enum FdField : byte
    {
        /// <summary>The instruction's imm (LD_IMM64 of a map: its first half).</summary>
        Immediate,
        /// <summary>The imm of an LD_IMM64's second half (a typed ksym's module BTF).</summary>
        SecondImmediate,
    }

    /// <summary>An instruction field that holds a kernel object's fd once the back-end knows it.</summary>
    internal readonly record struct FdFixup(int InstructionIndex, FdField Field, KernelRef Target);
}
