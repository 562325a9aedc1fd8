using System;
using BpfSkeleton.Handles;
using BpfSkeleton.Kernel;
using BpfSkeleton.Links;
using BpfSkeleton.Loading;
using BpfSkeleton.Specs;

namespace BpfSkeleton
{
    /// <summary>
    /// A program of a <see cref="BpfObject"/>: its spec before load, its kernel program after.
    /// Struct_ops shadows hold references to these, so a member can be re-pointed before load.
    /// </summary>
    public sealed partial class BpfProgram : ILoadProgram, IUsdtProgram
    {
        internal BpfProgram(BpfObject owner, ProgramSpec spec, int index)
        {
            Object = owner;
            Spec = spec;
            Index = index;
        }

        /// <summary>Its place in <see cref="BpfObject.Programs"/>, and in the loaded state.</summary>
        internal int Index { get; }

        int ILoadProgram.Index => Index;
        BpfProgramHandle? ILoadProgram.AttachProgram => AttachProgram;
        string? ILoadProgram.AttachFunction => AttachFunction;
        IUsdtSpecs IUsdtProgram.UsdtSpecs() => Object.UsdtManager();

        /// <summary>The object the program belongs to.</summary>
        public BpfObject Object { get; }

        /// <summary>The program as parsed (read only; edit through this program's setters, which work only before load).</summary>
        public ProgramSpec Spec { get; }

        /// <summary>The program's name: its C function name.</summary>
        public string Name => Spec.Name;

        /// <summary>The ELF section it came from, e.g. "kprobe/do_unlinkat" or "xdp"; decides type, attach type and auto-attach.</summary>
        public string SectionName => Spec.SectionName;

        /// <summary>
        /// The program type Load() loads it as (from the section name). Settable only before load (<see cref="InvalidOperationException"/> after).
        /// </summary>
        public BpfProgramType Type
        {
            get => Spec.Type;
            set { Object.RequireEditable($"program '{Name}' type"); Spec.Type = value; }
        }

        /// <summary>
        /// The expected attach type Load() loads it with (from the section name). Settable only before load (<see cref="InvalidOperationException"/> after).
        /// </summary>
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

        /// <summary>
        /// True for a struct_ops program (a member function of a <see cref="BpfStructOpsMap"/>; attached by registering the map, not by <see cref="Attach"/>).
        /// </summary>
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

        /// <summary>"program 'name' (section)" for messages.</summary>
        public override string ToString() => $"program '{Name}' ({SectionName})";
    }
}
