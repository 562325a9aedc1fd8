using System;
using BpfSkeleton.Kernel;

namespace BpfSkeleton
{
    // libbpf's bpf_program__set_attach_target: what a freplace or fentry/fexit program attaches to.
    public sealed partial class BpfProgram
    {
        /// <summary>The BPF program this one is loaded against (freplace, fentry/fexit on a program); null for kernel targets.</summary>
        internal BpfProgramHandle? AttachProgram { get; private set; }

        /// <summary>The function of <see cref="AttachProgram"/> to replace or trace.</summary>
        internal string? AttachFunction { get; private set; }

        /// <summary>
        /// Sets what the program attaches to, before Load(). With <paramref name="targetProgram"/>, a
        /// freplace (SEC("freplace/...")) or fentry/fexit program is loaded against that program's
        /// global function <paramref name="functionName"/> (null: the function the section names),
        /// found in the target's BTF; the target must stay open until Load(). Without one,
        /// <paramref name="functionName"/> is a kernel function, as if the section named it.
        /// </summary>
        public void SetAttachTarget(BpfProgramHandle? targetProgram, string? functionName)
        {
            Object.RequireEditable($"program '{Name}' attach target");
            if (targetProgram is null)
            {
                ArgumentException.ThrowIfNullOrEmpty(functionName);
                if (Type == BpfProgramType.Ext)
                    throw new ArgumentNullException(nameof(targetProgram), $"program '{Name}' is a freplace program: it replaces a function of a BPF program, which must be given");
                Spec.AttachTarget = functionName;
                (AttachProgram, AttachFunction) = (null, null);
                return;
            }
            if (Type is not (BpfProgramType.Ext or BpfProgramType.Tracing))
                throw new InvalidOperationException($"program '{Name}' is {Type}: only freplace (Ext) and fentry/fexit (Tracing) programs attach to a BPF program");
            string function = functionName ?? Spec.AttachTarget
                ?? throw new ArgumentNullException(nameof(functionName), $"section '{SectionName}' names no function; give one");
            (AttachProgram, AttachFunction) = (targetProgram, function);
        }
    }
}
