using System;

namespace BpfSkeleton.Elf
{
    /// <summary>What <see cref="ElfFile.Parse(ReadOnlyMemory{byte}, string, ElfParseOptions)"/> accepts.</summary>
    [Flags]
    internal enum ElfParseOptions
    {
        /// <summary>Only EM_BPF objects: what a BPF object reader wants.</summary>
        None = 0,

        /// <summary>
        /// Any machine (x86-64, aarch64, …): for reading symbols and program headers of executables and
        /// shared libraries, e.g. to place uprobes.
        /// </summary>
        AnyMachine = 1 << 0,
    }
}
