using System.Collections.Generic;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Specs;

namespace BpfSkeleton.Loading
{
    /// <summary>
    /// What a load decides that is not a kernel object: how each struct_ops map matched the kernel (its value,
    /// where program fds go) and which member each struct_ops program loads for, and where the arena globals
    /// go. Any back-end can use it; the live one keeps it in its <see cref="LoadedState"/> for attach time.
    /// Entries are indexed like <see cref="ILoadSource.Programs"/> and <see cref="ILoadSource.StructOpsMaps"/>.
    /// </summary>
    internal sealed class LoadPlan
    {
        public LoadPlan(ILoadSource owner)
        {
            StructOpsBindings = new StructOpsProgramBinding?[owner.Programs.Count];
            StructOps = new StructOpsKernelValue?[owner.StructOpsMaps.Count];
        }

        /// <summary>For struct_ops programs a created map uses: the kernel struct and member they load for.</summary>
        public StructOpsProgramBinding?[] StructOpsBindings { get; }

        /// <summary>Each struct_ops map's kernel value, where the map is created.</summary>
        public StructOpsKernelValue?[] StructOps { get; }

        /// <summary>Where the <c>__arena</c> globals are: bytes from the arena's start.</summary>
        public long ArenaGlobalsOffset { get; set; }
    }

    /// <summary>A struct_ops program's load target: the kernel struct (attach_btf_id), the member index (expected_attach_type), the module holding the struct.</summary>
    internal readonly record struct StructOpsProgramBinding(int StructTypeId, int MemberIndex, string? Module);

    /// <summary>A struct_ops map's kernel value: the matched kernel type, the value (kernel layout) and where program fds go.</summary>
    internal sealed class StructOpsKernelValue
    {
        public StructOpsKernelValue(StructOpsKernelType type, StructOpsKernelMatch match, byte[] value,
            IReadOnlyList<(StructOpsMember Member, int KernelOffset)> programPlacements)
        {
            Type = type;
            Match = match;
            Value = value;
            ProgramPlacements = programPlacements;
        }

        public StructOpsKernelType Type { get; }

        public StructOpsKernelMatch Match { get; }

        /// <summary>The value as written to the map at registration, less program fds.</summary>
        public byte[] Value { get; }

        public IReadOnlyList<(StructOpsMember Member, int KernelOffset)> ProgramPlacements { get; }
    }
}
