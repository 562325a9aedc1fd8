namespace BpfSkeleton.Elf
{
    /// <summary>ELF numbers a BPF object uses (names as in elf.h).</summary>
    internal static class ElfConstants
    {
        public const byte ELFCLASS64 = 2;
        public const byte ELFDATA2LSB = 1;
        public const byte ELFDATA2MSB = 2;
        public const ushort EM_BPF = 247;
        public const ushort ET_REL = 1;
        public const ushort ET_EXEC = 2;
        public const ushort ET_DYN = 3;
        public const ushort EM_X86_64 = 62;
        public const ushort EM_AARCH64 = 183;

        public const uint PT_NULL = 0;
        public const uint PT_LOAD = 1;
        public const uint PT_DYNAMIC = 2;
        public const uint PT_INTERP = 3;
        public const uint PT_NOTE = 4;
        public const uint PT_PHDR = 6;
        public const uint PF_X = 1;
        public const uint PF_W = 2;
        public const uint PF_R = 4;
        /// <summary>e_phnum value meaning "the real count is in section 0's sh_info".</summary>
        public const ushort PN_XNUM = 0xffff;

        public const uint SHT_NULL = 0;
        public const uint SHT_PROGBITS = 1;
        public const uint SHT_SYMTAB = 2;
        public const uint SHT_STRTAB = 3;
        public const uint SHT_RELA = 4;
        public const uint SHT_HASH = 5;
        public const uint SHT_DYNAMIC = 6;
        public const uint SHT_NOTE = 7;
        public const uint SHT_NOBITS = 8;
        public const uint SHT_REL = 9;
        public const uint SHT_DYNSYM = 11;
        public const uint SHT_SYMTAB_SHNDX = 18;
        public const uint SHT_LLVM_ADDRSIG = 0x6fff4c03;

        public const ulong SHF_WRITE = 0x1;
        public const ulong SHF_ALLOC = 0x2;
        public const ulong SHF_EXECINSTR = 0x4;
        public const ulong SHF_MERGE = 0x10;
        public const ulong SHF_STRINGS = 0x20;
        public const ulong SHF_INFO_LINK = 0x40;
        public const ulong SHF_EXCLUDE = 0x80000000;

        public const byte STB_LOCAL = 0;
        public const byte STB_GLOBAL = 1;
        public const byte STB_WEAK = 2;

        public const byte STT_NOTYPE = 0;
        public const byte STT_OBJECT = 1;
        public const byte STT_FUNC = 2;
        public const byte STT_SECTION = 3;
        public const byte STT_FILE = 4;
        public const byte STT_GNU_IFUNC = 10;

        public const byte STV_DEFAULT = 0;
        public const byte STV_INTERNAL = 1;
        public const byte STV_HIDDEN = 2;
        public const byte STV_PROTECTED = 3;

        public const ushort SHN_UNDEF = 0;
        public const ushort SHN_LORESERVE = 0xff00;
        public const ushort SHN_ABS = 0xfff1;
        public const ushort SHN_COMMON = 0xfff2;
        public const ushort SHN_XINDEX = 0xffff;

        public const uint R_BPF_NONE = 0;
        public const uint R_BPF_64_64 = 1;
        public const uint R_BPF_64_ABS64 = 2;
        public const uint R_BPF_64_ABS32 = 3;
        public const uint R_BPF_64_NODYLD32 = 4;
        public const uint R_BPF_64_32 = 10;

        internal const int HeaderSize = 64;
        internal const int SectionHeaderSize = 64;
        internal const int ProgramHeaderSize = 56;
        internal const int SymbolSize = 24;
        internal const int RelSize = 16;
    }
}
