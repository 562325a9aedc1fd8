using System;
using BpfSkeleton.Links;
using BpfSkeleton.Specs;

namespace BpfSkeleton
{
    /// <summary>Attaches a program to the target its SEC() name gives, following libbpf's auto-attach rules.</summary>
    internal static class ProgramAttacher
    {
        /// <summary>Whether the section alone (or, with <paramref name="hasAttachProgram"/>, the target program given by SetAttachTarget) says where to attach.</summary>
        public static bool CanAutoAttach(ProgramSpec spec, bool hasAttachProgram = false)
        {
            if (spec.Definition is null) return false;
            return spec.Definition.AutoAttach switch
            {
                AutoAttachKind.Tracepoint or AutoAttachKind.RawTracepoint => spec.AttachTarget is not null,
                AutoAttachKind.Tracing => spec.Type != BpfProgramType.Ext || hasAttachProgram,
                AutoAttachKind.Lsm or AutoAttachKind.Iterator => true,
                // A bare SEC("uprobe") or SEC("kprobe") is valid, but only the attach API can give it a target.
                AutoAttachKind.Kprobe or AutoAttachKind.Ksyscall or AutoAttachKind.KprobeMulti
                    or AutoAttachKind.Uprobe or AutoAttachKind.UprobeMulti or AutoAttachKind.Usdt => spec.AttachTarget is not null,
                _ => false,
            };
        }

        public static BpfLink Attach(BpfProgram program)
        {
            var spec = program.Spec;
            try
            {
                return AttachBySection(program, spec);
            }
            catch (FormatException e)
            {
                throw new InvalidOperationException($"program '{program.Name}': {e.Message}", e);
            }
        }

        private static BpfLink AttachBySection(BpfProgram program, ProgramSpec spec)
        {
            var handle = program.LoadedHandle;
            var definition = spec.Definition;
            switch (definition?.AutoAttach)
            {
                case AutoAttachKind.Tracepoint when spec.AttachTarget is { } target:
                {
                    var slash = target.IndexOf('/');
                    if (slash <= 0 || slash == target.Length - 1)
                        throw new InvalidOperationException($"program '{program.Name}': tracepoint section '{spec.SectionName}' must be \"tracepoint/<category>/<name>\"");
                    return PerfEventLink.AttachTracepoint(handle, target.Substring(0, slash), target.Substring(slash + 1));
                }
                case AutoAttachKind.RawTracepoint when spec.AttachTarget is { } target:
                    return RawTracepointLink.Attach(handle, target);
                // Loaded against a BPF program: a tracing link to that program's function.
                case AutoAttachKind.Tracing when program.AttachProgram is not null:
                    return TracingLink.Attach(handle);
                case AutoAttachKind.Tracing when spec.Type != BpfProgramType.Ext:
                case AutoAttachKind.Lsm:
                    return RawTracepointLink.AttachTracing(handle);
                case AutoAttachKind.Iterator:
                    return IterLink.Attach(handle);
                case AutoAttachKind.Kprobe when spec.AttachTarget is { } target:
                {
                    var probe = ProbeSections.ParseKprobe(definition, target);
                    return KprobeLink.Attach(handle, probe.Function, new KprobeOptions { Offset = probe.Offset, IsReturn = probe.IsReturn });
                }
                case AutoAttachKind.Ksyscall when spec.AttachTarget is { } target:
                    return KprobeLink.AttachSyscall(handle, target, ProbeSections.IsReturnSyscall(definition));
                case AutoAttachKind.KprobeMulti when spec.AttachTarget is { } target:
                    return KprobeMultiLink.Attach(handle, new KprobeMultiOptions { Pattern = target, IsReturn = ProbeSections.IsReturnMulti(definition) });
                case AutoAttachKind.Uprobe when spec.AttachTarget is { } target:
                {
                    var probe = ProbeSections.ParseUprobe(definition, target);
                    return UprobeLink.Attach(handle, probe.Binary, new UprobeOptions { FunctionName = probe.Function, Offset = probe.Offset, IsReturn = probe.IsReturn });
                }
                case AutoAttachKind.UprobeMulti when spec.AttachTarget is { } target:
                {
                    var probe = ProbeSections.ParseUprobeMulti(definition, target);
                    return UprobeMultiLink.Attach(handle, probe.Binary, new UprobeMultiOptions { Pattern = probe.Pattern, IsReturn = probe.IsReturn });
                }
                case AutoAttachKind.Usdt when spec.AttachTarget is { } target:
                {
                    var probe = ProbeSections.ParseUsdt(definition, target);
                    return program.AttachUsdt(-1, probe.Binary, probe.Provider, probe.Name);
                }
                default:
                    throw new InvalidOperationException(
                        $"program '{program.Name}' (section '{spec.SectionName}') cannot be attached from its section name alone; use the attach API for its hook ({spec.Type})");
            }
        }
    }
}
