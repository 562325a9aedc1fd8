using System;
using System.Collections.Generic;
using BpfSkeleton.Btf;
using BpfSkeleton.Elf;

namespace BpfSkeleton.Specs
{
    /// <summary>
    /// Everything a clang-compiled BPF object defines, read without touching the kernel:
    /// programs, maps (declared, global data, struct_ops), externs, BTF. The runtime loads it;
    /// the generator types a skeleton from it.
    /// </summary>
    public sealed class BpfObjectSpec
    {
        internal BpfObjectSpec(string fileName, string objectName, ElfFile elf, BtfSpec? btf, BtfExt? btfExt)
        {
            FileName = fileName;
            ObjectName = objectName;
            Elf = elf;
            Btf = btf;
            BtfExt = btfExt;
        }

        /// <summary>
        /// Reads an object from its bytes. <paramref name="fileName"/> labels errors and, unless
        /// <paramref name="objectName"/> is given, yields the object name used for internal map names.
        /// </summary>
        public static BpfObjectSpec Parse(ReadOnlyMemory<byte> bytes, string fileName, string? objectName = null)
            => ObjectReader.Read(bytes, fileName, objectName);

        public string FileName { get; }

        /// <summary>The object's name as libbpf derives it: the file name up to its first '.'.</summary>
        public string ObjectName { get; }

        public ElfFile Elf { get; }

        /// <summary>The object's BTF (<c>.BTF</c>), null when compiled without <c>-g</c>.</summary>
        public BtfSpec? Btf { get; }

        public BtfExt? BtfExt { get; }

        /// <summary>The <c>license</c> section's string, e.g. <c>GPL</c>.</summary>
        public string License { get; internal set; } = "";

        /// <summary>The <c>version</c> section's value (kern_version), 0 when absent.</summary>
        public uint KernelVersion { get; internal set; }

        /// <summary>Entry-point programs, in section then offset order.</summary>
        public SpecList<ProgramSpec> Programs { get; } = new SpecList<ProgramSpec>();

        /// <summary>Functions in <c>.text</c>, linked into the programs that call them.</summary>
        public SpecList<ProgramSpec> Subprograms { get; } = new SpecList<ProgramSpec>();

        /// <summary>All maps: declared, global data, struct_ops — in that order.</summary>
        public SpecList<MapSpec> Maps { get; } = new SpecList<MapSpec>();

        public SpecList<ExternSpec> Externs { get; } = new SpecList<ExternSpec>();

        /// <summary>
        /// The <c>__arena</c> globals (<c>.addr_space.1</c>), null when there are none. They live in the one
        /// arena map the object declares (<see cref="ArenaMap"/>); their initial values are editable before load.
        /// </summary>
        public DataSectionSpec? ArenaGlobals { get; internal set; }

        /// <summary>The arena map that holds <see cref="ArenaGlobals"/>, null when there are none.</summary>
        public MapSpec? ArenaMap { get; internal set; }

        public IEnumerable<DataSectionSpec> DataSections
        {
            get
            {
                foreach (var map in Maps)
                    if (map.DataSection is not null) yield return map.DataSection;
            }
        }

        public IEnumerable<StructOpsSpec> StructOps
        {
            get
            {
                foreach (var map in Maps)
                    if (map.StructOps is not null) yield return map.StructOps;
            }
        }

        public ProgramSpec? FindProgram(string name)
        {
            foreach (var program in Programs)
                if (program.Name == name) return program;
            return null;
        }

        public MapSpec? FindMap(string name)
        {
            foreach (var map in Maps)
                if (map.Name == name) return map;
            return null;
        }

        /// <summary>
        /// Makes every edit of this spec ask <paramref name="check"/> first (an opened object refuses edits once
        /// loaded): its programs, maps, data sections and struct_ops, through their own setters.
        /// </summary>
        internal void GuardEdits(System.Action<string> check)
        {
            var guard = new SpecEditGuard { Check = check };
            foreach (var program in Programs) program.Guard = guard;
            foreach (var program in Subprograms) program.Guard = guard;
            foreach (var map in Maps)
            {
                map.Guard = guard;
                if (map.InnerMap is { } inner) inner.Guard = guard;
                if (map.StructOps is { } structOps) structOps.Guard = guard;
                if (map.DataSection is { } data) data.Guard = guard;
            }
            if (ArenaGlobals is not null) ArenaGlobals.Guard = guard;
        }

        /// <summary>The map backing a global data section (e.g. <c>.rodata</c>), or null.</summary>
        public MapSpec? FindDataSectionMap(string sectionName)
        {
            foreach (var map in Maps)
                if (map.DataSection?.SectionName == sectionName) return map;
            return null;
        }
    }
}
