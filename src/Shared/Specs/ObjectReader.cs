using System;
using System.Collections.Generic;
using BpfSkeleton.Btf;
using BpfSkeleton.Elf;

namespace BpfSkeleton.Specs
{
    /// <summary>
    /// Turns an ELF object into a <see cref="BpfObjectSpec"/>: sorts sections into kinds in one
    /// pass, then runs fixed phases (BTF, programs, maps, global data, externs, struct_ops,
    /// relocations, debug info), each of which reports errors through <see cref="BpfFormatException"/>.
    /// </summary>
    internal sealed partial class ObjectReader
    {
        private readonly ElfFile _elf;
        private readonly string _fileName;
        private readonly BpfObjectSpec _spec;
        private readonly BtfSpec? _btf;

        private readonly List<ElfSection> _programSections = new List<ElfSection>();
        private readonly List<ElfSection> _dataSections = new List<ElfSection>();
        private readonly List<ElfSection> _structOpsSections = new List<ElfSection>();
        private ElfSection? _mapsSection;
        private ElfSection? _legacyMapsSection; // SEC("maps"): struct bpf_map_def / bpf_elf_map
        private ElfSection? _arenaSection; // .addr_space.1: __arena globals

        private ObjectReader(ElfFile elf, string fileName, string objectName, BtfSpec? btf, BtfExt? btfExt)
        {
            _elf = elf;
            _fileName = fileName;
            _btf = btf;
            _spec = new BpfObjectSpec(fileName, objectName, elf, btf, btfExt);
        }

        public static BpfObjectSpec Read(ReadOnlyMemory<byte> bytes, string fileName, string? objectName)
        {
            var elf = ElfFile.Parse(bytes, fileName); // rejects machines other than EM_BPF

            var btf = ReadBtf(elf, fileName);
            var btfExt = btf is null ? null : ReadBtfExt(elf, btf, fileName);
            var reader = new ObjectReader(elf, fileName, objectName ?? ObjectNameOf(fileName), btf, btfExt);
            reader.ClassifySections();
            reader.ReadLicenseAndVersion();
            reader.ReadPrograms();
            reader.ReadDeclaredMaps();
            reader.ReadLegacyMaps();
            reader.ReadDataSections();
            reader.ReadArenaGlobals();
            reader.ReadExterns();
            reader.ReadStructOps();
            reader.ReadInstructionRelocations();
            reader.AssignDebugInfo();
            return reader._spec;
        }

        /// <summary>libbpf's object name: the file's base name up to the first '.' (<c>tcp_cc.bpf.o</c> → <c>tcp_cc</c>).</summary>
        internal static string ObjectNameOf(string fileName)
        {
            var slash = fileName.LastIndexOfAny(new[] { '/', '\\' });
            var baseName = slash >= 0 ? fileName.Substring(slash + 1) : fileName;
            var dot = baseName.IndexOf('.');
            var name = dot > 0 ? baseName.Substring(0, dot) : baseName;
            return name.Length == 0 ? "bpf" : name;
        }

        private static BtfSpec? ReadBtf(ElfFile elf, string fileName)
        {
            var section = elf.FindSection(".BTF");
            return section is null ? null : BtfSpec.Parse(section.Data, fileName);
        }

        private static BtfExt? ReadBtfExt(ElfFile elf, BtfSpec btf, string fileName)
        {
            var section = elf.FindSection(".BTF.ext");
            return section is null ? null : BtfExt.Parse(section.Data, btf, fileName);
        }

        private void ClassifySections()
        {
            // Names are compared as bytes and decoded only for sections that turn out to matter.
            foreach (var section in _elf.Sections)
            {
                if (section.Type == ElfConstants.SHT_REL || section.Type == ElfConstants.SHT_SYMTAB ||
                    section.Type == ElfConstants.SHT_STRTAB || section.Index == 0)
                    continue;
                if (section.IsExecutable)
                {
                    if (section.Size > 0) _programSections.Add(section);
                }
                else if (section.NameIs(".maps"))
                    _mapsSection = section;
                else if (section.NameIs(LegacyMapsSectionName))
                    _legacyMapsSection = section;
                else if (section.NameIs(ArenaSectionName))
                    _arenaSection = section;
                else if (IsStructOpsSection(section))
                    _structOpsSections.Add(section);
                else if (section.IsAlloc && DataKindOf(section.Name) is not null)
                    _dataSections.Add(section);
            }
        }

        /// <summary>Where clang puts <c>__arena</c> globals (address space 1).</summary>
        internal const string ArenaSectionName = ".addr_space.1";

        private static bool IsStructOpsSection(ElfSection section)
            => section.NameIs(".struct_ops") || section.NameIs(".struct_ops.link") || section.NameIs("?.struct_ops") || section.NameIs("?.struct_ops.link");

        internal static bool IsStructOpsSection(string name)
            => name == ".struct_ops" || name == ".struct_ops.link" || name == "?.struct_ops" || name == "?.struct_ops.link";

        internal static DataSectionKind? DataKindOf(string sectionName)
        {
            if (HasSectionPrefix(sectionName, ".bss")) return DataSectionKind.Bss;
            if (HasSectionPrefix(sectionName, ".data") && !sectionName.StartsWith(".data.rel", StringComparison.Ordinal))
                return DataSectionKind.Data;
            if (HasSectionPrefix(sectionName, ".rodata")) return DataSectionKind.ReadOnly;
            return null;
        }

        // ".data" and ".data.anything", but not ".dataxyz".
        private static bool HasSectionPrefix(string name, string prefix)
            => name == prefix || (name.StartsWith(prefix, StringComparison.Ordinal) && name.Length > prefix.Length && name[prefix.Length] == '.');

        private void ReadLicenseAndVersion()
        {
            var license = _elf.FindSection("license");
            if (license is not null)
            {
                var end = license.Data.Span.IndexOf((byte)0);
                _spec.License = Utf8Text.Decode(license.Data, 0, end < 0 ? license.Data.Length : end);
            }

            var version = _elf.FindSection("version");
            if (version is not null)
            {
                if (version.Data.Length != 4)
                    throw Error(version.Name, 0, $"kernel version section is {version.Data.Length} bytes, expected 4");
                _spec.KernelVersion = ByteOrder.U32(version.Data.Span, _elf.IsLittleEndian);
            }
        }

        internal BpfFormatException Error(string? section, long offset, string problem)
            => new BpfFormatException(_fileName, section, offset, problem);


        private BtfSpec RequireBtf(string section, string why)
            => _btf ?? throw Error(section, 0, $"the object has no .BTF section, which {why} needs; compile with clang -g");
    }
}
