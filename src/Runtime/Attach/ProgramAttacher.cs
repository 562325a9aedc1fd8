using System;
using BpfSkeleton.Specs;

namespace BpfSkeleton
{
    /// <summary>Attaches a program to the target its SEC() name gives, following libbpf's auto-attach rules.</summary>
    internal static class ProgramAttacher
    {
        public static bool CanAutoAttach(ProgramSpec spec)
        {
            if (spec.Definition is null) return false;
            return spec.Definition.AutoAttach switch
            {
                AutoAttachKind.Tracepoint or AutoAttachKind.RawTracepoint => spec.AttachTarget is not null,
                AutoAttachKind.Tracing or AutoAttachKind.Lsm or AutoAttachKind.Iterator => spec.Type != BpfProgramType.Ext,
                _ => false,
            };
        }

        public static BpfLink Attach(BpfProgram program)
        {
            var spec = program.Spec;
            var handle = program.LoadedHandle;
            switch (spec.Definition?.AutoAttach)
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
                case AutoAttachKind.Tracing:
                case AutoAttachKind.Lsm:
                    return RawTracepointLink.AttachTracing(handle);
                case AutoAttachKind.Iterator:
                    return IterLink.Attach(handle);
                default:
                    throw new InvalidOperationException(
                        $"program '{program.Name}' (section '{spec.SectionName}') cannot be attached from its section name alone; use the attach API for its hook ({spec.Type})");
            }
        }
    }
}
