namespace BpfSkeleton.Elf
{
    /// <summary>One SHT_REL entry: where (offset in the target section), which symbol, which R_BPF_* type.</summary>
    internal readonly struct ElfRelocation
    {
        public ElfRelocation(ulong offset, int symbolIndex, uint type)
        {
            Offset = offset;
            SymbolIndex = symbolIndex;
            Type = type;
        }

        public ulong Offset { get; }
        public int SymbolIndex { get; }
        public uint Type { get; }

        public override string ToString() => $"0x{Offset:x} type {Type} sym {SymbolIndex}";
    }
}
