using System;
using System.Collections.Generic;
using BpfSkeleton.Btf;

namespace BpfSkeleton.Specs
{
    /// <summary>
    /// A BPF program (an entry point or a <c>.text</c> subprogram) as read from the object,
    /// before any relocation. Programs are editable until load.
    /// </summary>
    public sealed class ProgramSpec
    {
        internal ProgramSpec(string name, string sectionName, int sectionIndex, int sectionInstructionOffset,
            BpfInstruction[] instructions, SectionDefinition? definition, bool isSubprogram)
        {
            Name = name;
            SectionName = sectionName;
            SectionIndex = sectionIndex;
            SectionInstructionOffset = sectionInstructionOffset;
            Instructions = instructions;
            Definition = definition;
            IsSubprogram = isSubprogram;
            Type = definition?.ProgramType ?? BpfProgramType.Unspec;
            ExpectedAttachType = definition?.AttachType ?? BpfAttachType.None;
            // SEC("?...") as libbpf: the program type of the name after '?', not loaded unless asked for.
            var optional = SectionTable.IsOptional(sectionName);
            AttachTarget = definition?.AttachTarget(SectionTable.WithoutOptionalMark(sectionName));
            Flags = definition is { IsSleepable: true } ? ProgramFlags.Sleepable : 0;
            if (definition is { IsXdpFrags: true }) Flags |= ProgramFlags.XdpHasFrags;
            // A section no convention knows is still loaded, as libbpf tries to: Load() then names the section and
            // the fix (a SEC() name, or a Type set before load) instead of leaving the program silently unloaded.
            AutoLoad = !isSubprogram && !optional;
        }

        /// <summary>The function's symbol name; unique within the object.</summary>
        public string Name { get; }

        /// <summary>The ELF section, e.g. <c>tracepoint/syscalls/sys_enter_getpid</c>.</summary>
        public string SectionName { get; }

        /// <summary>Index of that section in the ELF file.</summary>
        public int SectionIndex { get; }

        /// <summary>Where the function starts inside its section, in instructions.</summary>
        public int SectionInstructionOffset { get; }

        /// <summary>The instructions as compiled (not relocated).</summary>
        public BpfInstruction[] Instructions { get; }

        /// <summary>The matching SEC() convention, or null for subprograms and unknown sections.</summary>
        internal SectionDefinition? Definition { get; }

        /// <summary>True for functions in <c>.text</c>, which are linked into the programs that call them.</summary>
        public bool IsSubprogram { get; }

        /// <summary>The opened object's edit check; see <see cref="SpecEditGuard"/>.</summary>
        internal SpecEditGuard Guard { get; set; } = SpecEditGuard.None;

        private BpfProgramType _type;
        private BpfAttachType _expectedAttachType;
        private string? _attachTarget;
        private ProgramFlags _flags;
        private bool _autoLoad;

        /// <summary>
        /// The program type, from the section name. Setting it on an opened object works only before load (<see cref="InvalidOperationException"/> after).
        /// </summary>
        public BpfProgramType Type
        {
            get => _type;
            set { Guard.BeforeEdit("program ", Name, " type"); _type = value; }
        }

        /// <summary>
        /// The expected attach type, from the section name (needed by several program types). Settable only before load, as <see cref="Type"/>.
        /// </summary>
        public BpfAttachType ExpectedAttachType
        {
            get => _expectedAttachType;
            set { Guard.BeforeEdit("program ", Name, " expected attach type"); _expectedAttachType = value; }
        }

        /// <summary>The section name's target part, e.g. <c>syscalls/sys_enter_getpid</c>; null if none.</summary>
        public string? AttachTarget
        {
            get => _attachTarget;
            set { Guard.BeforeEdit("program ", Name, " attach target"); _attachTarget = value; }
        }

        /// <summary>
        /// Load flags the section conventions set (e.g. <see cref="ProgramFlags.Sleepable"/> for "lsm.s/…" sections). Settable only before load, as <see cref="Type"/>.
        /// </summary>
        public ProgramFlags Flags
        {
            get => _flags;
            set { Guard.BeforeEdit("program ", Name, " flags"); _flags = value; }
        }

        /// <summary>Whether <c>Load</c> loads this program. Struct_ops programs are loaded only when a created map uses them.</summary>
        public bool AutoLoad
        {
            get => _autoLoad;
            set { Guard.BeforeEdit("program ", Name, " autoload"); _autoLoad = value; }
        }

        internal SpecList<InstructionRelocation> Relocations { get; } = new SpecList<InstructionRelocation>();

        /// <summary>func_info records with program-relative instruction indices.</summary>
        internal SpecList<FuncInfoRecord> FuncInfos { get; } = new SpecList<FuncInfoRecord>();

        /// <summary>line_info records with program-relative instruction indices.</summary>
        internal SpecList<LineInfoRecord> LineInfos { get; } = new SpecList<LineInfoRecord>();

        /// <summary>CO-RE relocations with program-relative instruction indices.</summary>
        internal SpecList<CoreRelocationRecord> CoreRelocations { get; } = new SpecList<CoreRelocationRecord>();

        /// <summary>
        /// Number of instructions that refer to a map, global data, a subprogram or an extern by symbol: the
        /// relocations the loader resolves when it links and loads the program.
        /// </summary>
        public int RelocationCount => Relocations.Count;

        /// <summary>Number of CO-RE relocations: field offsets, type and enum checks the loader adapts to the running kernel's BTF.</summary>
        public int CoreRelocationCount => CoreRelocations.Count;

        /// <summary>BTF id of this function's FUNC type in the object's BTF, 0 if unknown.</summary>
        public int FuncTypeId { get; internal set; }

        /// <summary>"name (section, Type)" for messages.</summary>
        public override string ToString() => $"{Name} ({SectionName}, {Type})";
    }

    /// <summary>BPF_F_* program load flags the section conventions set.</summary>
    [Flags]
    public enum ProgramFlags : uint
    {
        /// <summary>No flags.</summary>
        None = 0,
        /// <summary>BPF_F_STRICT_ALIGNMENT: the verifier checks alignment as on strict architectures.</summary>
        StrictAlignment = 1 << 0,
        /// <summary>BPF_F_ANY_ALIGNMENT: the verifier skips alignment checks.</summary>
        AnyAlignment = 1 << 1,
        /// <summary>BPF_F_TEST_RND_HI32: the verifier randomizes the upper 32 bits of 32-bit results (testing).</summary>
        TestRandomizeHighBits = 1 << 2,
        /// <summary>BPF_F_TEST_STATE_FREQ: the verifier checkpoints state at every instruction (testing).</summary>
        TestStateFreq = 1 << 3,
        /// <summary>BPF_F_SLEEPABLE: the program may sleep (sleepable sections such as "lsm.s/…" or "uprobe.s/…").</summary>
        Sleepable = 1 << 4,
        /// <summary>BPF_F_XDP_HAS_FRAGS: the XDP program handles multi-buffer packets ("xdp.frags" sections).</summary>
        XdpHasFrags = 1 << 5,
    }
}
