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

        private readonly List<ElfSection> _programSections;
        private readonly List<ElfSection> _dataSections;
        private readonly List<ElfSection> _structOpsSections;
        private readonly ElfSection? _mapsSection;
        private readonly ElfSection? _licenseSection;
        private readonly ElfSection? _versionSection;

        private ObjectReader(ElfFile elf, string fileName, string objectName, in SectionKinds sections, BtfSpec? btf, BtfExt? btfExt)
        {
            _elf = elf;
            _fileName = fileName;
            _btf = btf;
            _spec = new BpfObjectSpec(fileName, objectName, elf, btf, btfExt);
            _programSections = sections.Programs;
            _dataSections = sections.Data;
            _structOpsSections = sections.StructOps;
            _mapsSection = sections.Maps;
            _licenseSection = sections.License;
            _versionSection = sections.Version;
        }

        public static BpfObjectSpec Read(ReadOnlyMemory<byte> bytes, string fileName, string? objectName)
        {
            var elf = ElfFile.Parse(bytes, fileName); // rejects machines other than EM_BPF

            // Sorting sections throws nothing, so doing it first leaves the order of errors as it was.
            var sections = SectionKinds.Classify(elf);
            var btf = sections.Btf is null ? null : BtfSpec.Parse(sections.Btf.Data, fileName);
            var btfExt = btf is null || sections.BtfExt is null ? null : BtfExt.Parse(sections.BtfExt.Data, btf, fileName);
            var reader = new ObjectReader(elf, fileName, objectName ?? ObjectNameOf(fileName), sections, btf, btfExt);
            reader.ReadLicenseAndVersion();
            reader.ReadPrograms();
            reader.ReadDeclaredMaps();
            reader.ReadDataSections();
            reader.ReadExterns();
            reader.ReadStructOps();
            reader.ReadInstructionRelocations();
            reader.AssignDebugInfo();
            return reader._spec;
        }

        private static readonly char[] PathSeparators = { '/', '\\' };

        /// <summary>libbpf's object name: the file's base name up to the first '.' (<c>tcp_cc.bpf.o</c> → <c>tcp_cc</c>).</summary>
        internal static string ObjectNameOf(string fileName)
        {
            var start = fileName.LastIndexOfAny(PathSeparators) + 1;
            var dot = fileName.IndexOf('.', start);
            // One substring: the base name up to its first '.', or all of it when that '.' leads it.
            var name = dot > start ? fileName.Substring(start, dot - start)
                : start > 0 ? fileName.Substring(start) : fileName;
            return name.Length == 0 ? "bpf" : name;
        }

        private void ReadLicenseAndVersion()
        {
            var license = _licenseSection;
            if (license is not null)
            {
                var end = license.Data.Span.IndexOf((byte)0);
                _spec.License = Utf8Text.Decode(license.Data, 0, end < 0 ? license.Data.Length : end);
            }

            var version = _versionSection;
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
