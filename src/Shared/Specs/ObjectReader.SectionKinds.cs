using System;
using System.Collections.Generic;
using BpfSkeleton.Elf;

namespace BpfSkeleton.Specs
{
    internal sealed partial class ObjectReader
    {
        /// <summary>
        /// The sections an object reader reads, found in one pass over the section headers. Names
        /// are compared as bytes, and only these sections become <see cref="ElfSection"/> objects.
        /// </summary>
        private readonly struct SectionKinds
        {
            public readonly List<ElfSection> Programs;
            public readonly List<ElfSection> Data;
            public readonly List<ElfSection> StructOps;
            public readonly ElfSection? Maps;
            // The first section of each name, as ElfFile.FindSection would return it.
            public readonly ElfSection? Btf;
            public readonly ElfSection? BtfExt;
            public readonly ElfSection? License;
            public readonly ElfSection? Version;

            private SectionKinds(List<ElfSection> programs, List<ElfSection> data, List<ElfSection> structOps, ElfSection? maps,
                ElfSection? btf, ElfSection? btfExt, ElfSection? license, ElfSection? version)
            {
                Programs = programs;
                Data = data;
                StructOps = structOps;
                Maps = maps;
                Btf = btf;
                BtfExt = btfExt;
                License = license;
                Version = version;
            }

            public static SectionKinds Classify(ElfFile elf)
            {
                var table = elf.SectionHeaders;
                var programs = new List<ElfSection>();
                var data = new List<ElfSection>();
                var structOps = new List<ElfSection>();
                ElfSection? maps = null, btf = null, btfExt = null, license = null, version = null;
                for (int i = 0; i < table.Count; i++)
                {
                    var name = table.NameAndRest(i); // NUL-terminated
                    if (btf is null && IsName(name, BtfName)) btf = table[i];
                    else if (btfExt is null && IsName(name, BtfExtName)) btfExt = table[i];
                    else if (license is null && IsName(name, LicenseName)) license = table[i];
                    else if (version is null && IsName(name, VersionName)) version = table[i];

                    var type = table.Type(i);
                    if (i == 0 || type == ElfConstants.SHT_REL || type == ElfConstants.SHT_SYMTAB || type == ElfConstants.SHT_STRTAB)
                        continue;
                    var flags = table.Flags(i);
                    if ((flags & ElfConstants.SHF_EXECINSTR) != 0)
                    {
                        if (table.Size(i) > 0) programs.Add(table[i]);
                    }
                    else if (IsName(name, MapsName))
                        maps = table[i];
                    else if (IsStructOpsSection(name))
                        structOps.Add(table[i]);
                    else if ((flags & ElfConstants.SHF_ALLOC) != 0 && DataKindOf(name, terminated: true) is not null)
                        data.Add(table[i]);
                }
                return new SectionKinds(programs, data, structOps, maps, btf, btfExt, license, version);
            }
        }

        private static readonly byte[] BtfName = Ascii(".BTF");
        private static readonly byte[] BtfExtName = Ascii(".BTF.ext");
        private static readonly byte[] LicenseName = Ascii("license");
        private static readonly byte[] VersionName = Ascii("version");
        private static readonly byte[] MapsName = Ascii(".maps");
        private static readonly byte[] StructOpsName = Ascii(".struct_ops");
        private static readonly byte[] StructOpsLinkName = Ascii(".struct_ops.link");
        private static readonly byte[] BssPrefix = Ascii(".bss");
        private static readonly byte[] DataPrefix = Ascii(".data");
        private static readonly byte[] DataRelPrefix = Ascii(".data.rel");
        private static readonly byte[] ReadOnlyPrefix = Ascii(".rodata");

        private static byte[] Ascii(string text) => System.Text.Encoding.ASCII.GetBytes(text);

        /// <summary>Whether a NUL-terminated name is <paramref name="literal"/>.</summary>
        private static bool IsName(ReadOnlySpan<byte> terminated, byte[] literal)
            => terminated.Length > literal.Length && terminated[literal.Length] == 0 && terminated.StartsWith(literal);

        /// <summary><c>.struct_ops</c>, <c>.struct_ops.link</c>, or either with libbpf's <c>?</c> (optional) prefix (NUL-terminated).</summary>
        private static bool IsStructOpsSection(ReadOnlySpan<byte> terminated)
        {
            if (terminated.Length > 0 && terminated[0] == (byte)'?') terminated = terminated.Slice(1);
            return IsName(terminated, StructOpsName) || IsName(terminated, StructOpsLinkName);
        }

        /// <summary>The kind of a global data section name: exact (<paramref name="terminated"/> false) or NUL-terminated.</summary>
        internal static DataSectionKind? DataKindOf(ReadOnlySpan<byte> sectionName, bool terminated = false)
        {
            if (HasSectionPrefix(sectionName, BssPrefix, terminated)) return DataSectionKind.Bss;
            if (HasSectionPrefix(sectionName, DataPrefix, terminated) && !sectionName.StartsWith(DataRelPrefix))
                return DataSectionKind.Data;
            if (HasSectionPrefix(sectionName, ReadOnlyPrefix, terminated)) return DataSectionKind.ReadOnly;
            return null;
        }

        // ".data" and ".data.anything", but not ".dataxyz".
        private static bool HasSectionPrefix(ReadOnlySpan<byte> name, byte[] prefix, bool terminated)
        {
            if (!name.StartsWith(prefix)) return false;
            if (name.Length == prefix.Length) return !terminated; // a terminated name always has its NUL
            return name[prefix.Length] == (byte)'.' || (terminated && name[prefix.Length] == 0);
        }
    }
}
