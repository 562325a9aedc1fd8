using System;

namespace BpfSkeleton.Specs
{
    /// <summary>How a program of a SEC() convention is attached automatically.</summary>
    internal enum AutoAttachKind
    {
        /// <summary>Needs a target the section cannot name (an interface, a cgroup, …): attach explicitly.</summary>
        None,
        Tracepoint,
        RawTracepoint,
        /// <summary>fentry/fexit/fmod_ret/tp_btf/freplace through a tracing link.</summary>
        Tracing,
        Lsm,
        Iterator,
        Kprobe,
        KprobeMulti,
        Ksyscall,
        Uprobe,
        UprobeMulti,
        Usdt,
        /// <summary>Registered through its struct_ops map, not the program.</summary>
        StructOps,
    }

    /// <summary>
    /// One SEC() naming convention, libbpf-compatible: the prefix, the program and expected
    /// attach types it implies, and its flags.
    /// </summary>
    internal sealed class SectionDefinition
    {
        public SectionDefinition(string pattern, BpfProgramType programType, BpfAttachType attachType,
            SectionFlags flags = SectionFlags.None, AutoAttachKind autoAttach = AutoAttachKind.None)
        {
            AcceptsSuffix = pattern.EndsWith("+", StringComparison.Ordinal);
            Prefix = AcceptsSuffix ? pattern.Substring(0, pattern.Length - 1) : pattern;
            ProgramType = programType;
            AttachType = attachType;
            Flags = flags;
            AutoAttach = autoAttach;
        }

        /// <summary>The section name (exact match) or prefix (when <see cref="AcceptsSuffix"/>).</summary>
        public string Prefix { get; }

        /// <summary>Pattern ended with '+': matches the prefix alone or followed by '/' and a target.</summary>
        public bool AcceptsSuffix { get; }

        public BpfProgramType ProgramType { get; }

        public BpfAttachType AttachType { get; }

        public SectionFlags Flags { get; }

        public AutoAttachKind AutoAttach { get; }

        public bool IsSleepable => (Flags & SectionFlags.Sleepable) != 0;

        public bool IsXdpFrags => (Flags & SectionFlags.XdpFrags) != 0;

        /// <summary>A USDT program: loaded for uprobe.multi links where the kernel has them.</summary>
        public bool IsUsdt => (Flags & SectionFlags.Usdt) != 0;

        /// <summary>The attach target needs a BTF id resolved in kernel BTF (fentry, lsm, tp_btf, iter, …).</summary>
        public bool NeedsAttachBtfId => (Flags & SectionFlags.AttachBtf) != 0;

        public bool Matches(string sectionName)
        {
            if (!sectionName.StartsWith(Prefix, StringComparison.Ordinal)) return false;
            if (sectionName.Length == Prefix.Length) return true;
            return AcceptsSuffix && sectionName[Prefix.Length] == '/';
        }

        /// <summary>The part after "prefix/", e.g. the tracepoint or function name; null if none.</summary>
        public string? AttachTarget(string sectionName)
            => AcceptsSuffix && sectionName.Length > Prefix.Length + 1 ? sectionName.Substring(Prefix.Length + 1) : null;

        public override string ToString() => AcceptsSuffix ? Prefix + "+" : Prefix;
    }

    [Flags]
    internal enum SectionFlags
    {
        None = 0,
        /// <summary>Expected attach type is sent at load (BPF_PROG_LOAD's expected_attach_type).</summary>
        Attachable = 1 << 0,
        /// <summary>Like <see cref="Attachable"/>, but libbpf retries without it on old kernels.</summary>
        AttachableOptional = 1 << 1,
        /// <summary>attach_btf_id must be resolved from the target name.</summary>
        AttachBtf = 1 << 2,
        Sleepable = 1 << 3,
        XdpFrags = 1 << 4,
        Usdt = 1 << 5,
    }
}
