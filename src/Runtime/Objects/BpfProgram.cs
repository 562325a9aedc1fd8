using System;
using BpfSkeleton.Specs;

namespace BpfSkeleton
{
    /// <summary>
    /// A program of a <see cref="BpfObject"/>: its spec before load, its kernel program after.
    /// Struct_ops shadows hold references to these, so a member can be re-pointed before load.
    /// </summary>
    public sealed partial class BpfProgram
    {
        internal BpfProgram(BpfObject owner, ProgramSpec spec, int index)
        {
            Object = owner;
            Spec = spec;
            Index = index;
        }

        /// <summary>Its place in <see cref="BpfObject.Programs"/>, and in the loaded state.</summary>
        internal int Index { get; }

        public BpfObject Object { get; }

        public ProgramSpec Spec { get; }

        public string Name => Spec.Name;

        public string SectionName => Spec.SectionName;

        public BpfProgramType Type
        {
            get => Spec.Type;
            set { Object.RequireEditable($"program '{Name}' type"); Spec.Type = value; }
        }

        public BpfAttachType ExpectedAttachType
        {
            get => Spec.ExpectedAttachType;
            set { Object.RequireEditable($"program '{Name}' expected attach type"); Spec.ExpectedAttachType = value; }
        }

        /// <summary>
        /// Whether Load() loads this program. Struct_ops programs are loaded exactly when a created
        /// struct_ops map references them, whatever this says.
        /// </summary>
        public bool AutoLoad
        {
            get => Spec.AutoLoad;
            set { Object.RequireEditable($"program '{Name}' autoload"); Spec.AutoLoad = value; }
        }

        /// <summary>BPF_PROG_LOAD flags (sleepable, XDP frags, …), from the section name and editable before load.</summary>
        public ProgramFlags Flags
        {
            get => Spec.Flags;
            set { Object.RequireEditable($"program '{Name}' flags"); Spec.Flags = value; }
        }

        /// <summary>
        /// Verifier log level for this program's load (libbpf's bpf_program__set_log_level): 0, the default,
        /// asks for a log only to explain a failure (at <see cref="BpfOpenOptions.VerifierLogLevel"/>); 1, 2 or
        /// 4 (statistics, combinable) keep the log of a successful load in <see cref="VerifierLog"/>.
        /// </summary>
        public uint LogLevel
        {
            get => _logLevel;
            set { Object.RequireEditable($"program '{Name}' log level"); _logLevel = value; }
        }

        private uint _logLevel;

        /// <summary>The verifier's log of a successful load when <see cref="LogLevel"/> asked for one; null otherwise.</summary>
        public string? VerifierLog => Handle?.VerifierLog;

        public bool IsStructOps => Spec.Type == BpfProgramType.StructOps;

        /// <summary>True once loaded into the kernel (and until the object is disposed).</summary>
        public bool IsLoaded => Handle is not null;

        /// <summary>The kernel program, after load.</summary>
        internal BpfProgramHandle? Handle => Object.Loaded?.Programs[Index];

        /// <summary>The loaded program's descriptor.</summary>
        public BpfFileDescriptor Fd => LoadedHandle.Fd;

        /// <summary>
        /// The loaded kernel program, e.g. as the target of another object's freplace program
        /// (<see cref="SetAttachTarget"/>). The object owns it: do not dispose it.
        /// </summary>
        public BpfProgramHandle LoadedHandle => Handle
            ?? throw Object.Missing($"program '{Name}'", "was not loaded (autoload off, or a struct_ops program no created map uses)");

        /// <summary>The kernel's view: id, tag, translated instructions, run stats.</summary>
        public BpfProgramInfo GetInfo() => LoadedHandle.GetInfo();

        /// <summary>Runs the program once (or <c>Repeat</c> times) through BPF_PROG_TEST_RUN.</summary>
        public BpfTestRunResult TestRun(BpfTestRunOptions? options = null) => LoadedHandle.TestRun(options ?? new BpfTestRunOptions());

        /// <summary>True for sections that name their target (tracepoint/x/y, raw_tp/x, tp_btf/x, iter/x, …), and freplace programs given a target program.</summary>
        public bool CanAutoAttach => ProgramAttacher.CanAutoAttach(Spec, AttachProgram is not null);

        /// <summary>Attaches using the target the section names; dispose the link to detach.</summary>
        public BpfLink Attach()
        {
            if (Object.State is not (BpfObjectState.Loaded or BpfObjectState.Attached or BpfObjectState.Detached))
                Object.RequireState(BpfObjectState.Loaded, $"attach program '{Name}'");
            return ProgramAttacher.Attach(this);
        }

        public override string ToString() => $"program '{Name}' ({SectionName})";
    }
}
