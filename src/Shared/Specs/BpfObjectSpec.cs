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

        /// <summary>The file name the object was read from (or given to <see cref="Parse"/>); labels errors.</summary>
        public string FileName { get; }

        /// <summary>The object's name as libbpf derives it: the file name up to its first '.'.</summary>
        public string ObjectName { get; }

        internal ElfFile Elf { get; }

        /// <summary>The object's BTF (<c>.BTF</c>), null when compiled without <c>-g</c>.</summary>
        internal BtfSpec? Btf { get; }

        internal BtfExt? BtfExt { get; }

        /// <summary>Number of types in the object's BTF (the <c>.BTF</c> section); null when the object has none.</summary>
        public int? BtfTypeCount => Btf?.TypeCount;

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

        /// <summary>The externs the object declares (<c>__kconfig</c> values, <c>__ksym</c> variables and kfuncs), resolved at load.</summary>
        public SpecList<ExternSpec> Externs { get; } = new SpecList<ExternSpec>();

        /// <summary>
        /// The <c>__arena</c> globals (<c>.addr_space.1</c>), null when there are none. They live in the one
        /// arena map the object declares (<see cref="ArenaMap"/>); their initial values are editable before load.
        /// </summary>
        public DataSectionSpec? ArenaGlobals { get; internal set; }

        /// <summary>The arena map that holds <see cref="ArenaGlobals"/>, null when there are none.</summary>
        public MapSpec? ArenaMap { get; internal set; }

        /// <summary>
        /// The global data sections of the object's maps (.bss, .data, .rodata, .kconfig, custom sections), in map order; the arena globals are in <see cref="ArenaGlobals"/>.
        /// </summary>
        public IEnumerable<DataSectionSpec> DataSections
        {
            get
            {
                foreach (var map in Maps)
                    if (map.DataSection is not null) yield return map.DataSection;
            }
        }

        /// <summary>The struct_ops variables of the object's struct_ops maps, in map order.</summary>
        public IEnumerable<StructOpsSpec> StructOps
        {
            get
            {
                foreach (var map in Maps)
                    if (map.StructOps is not null) yield return map.StructOps;
            }
        }

        /// <summary>The entry-point program named <paramref name="name"/> (its C function name); null if there is none.</summary>
        public ProgramSpec? FindProgram(string name)
        {
            foreach (var program in Programs)
                if (program.Name == name) return program;
            return null;
        }

        /// <summary>The map named <paramref name="name"/> (declared name, or libbpf's internal name for global data); null if there is none.</summary>
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
