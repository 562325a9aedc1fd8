using System.Collections.Generic;
using System.Linq;

namespace BpfSkeleton.Loading
{
    /// <summary>Which local members the running kernel's struct has, and which it lacks.</summary>
    public sealed class StructOpsKernelMatch
    {
        internal StructOpsKernelMatch(string kernelTypeName, int kernelTypeId, int kernelValueSize,
            IReadOnlyList<StructOpsMemberMatch> members)
        {
            KernelTypeName = kernelTypeName;
            KernelTypeId = kernelTypeId;
            KernelValueSize = kernelValueSize;
            Members = members;
        }

        /// <summary>The kernel struct's name, e.g. "tcp_congestion_ops".</summary>
        public string KernelTypeName { get; }
        /// <summary>The kernel struct's BTF type id (in vmlinux or its module's BTF).</summary>
        public int KernelTypeId { get; }
        /// <summary>Size in bytes of the kernel's map value (<c>struct bpf_struct_ops_&lt;name&gt;</c>, which wraps the struct).</summary>
        public int KernelValueSize { get; }
        /// <summary>One entry per local member, in local order.</summary>
        public IReadOnlyList<StructOpsMemberMatch> Members { get; }

        /// <summary>Names of the local members the kernel's struct lacks (those must stay zero/unset to load).</summary>
        public IEnumerable<string> MissingInKernel
        {
            get
            {
                foreach (var member in Members)
                    if (member.KernelIndex < 0) yield return member.Name;
            }
        }
    }

    /// <summary>One local member and where (if anywhere) it lives in the kernel's struct.</summary>
    public sealed class StructOpsMemberMatch
    {
        internal StructOpsMemberMatch(string name, int localIndex, int kernelIndex, int kernelOffset, string localKind, string? kernelKind)
        {
            Name = name;
            LocalIndex = localIndex;
            KernelIndex = kernelIndex;
            KernelOffset = kernelOffset;
            LocalKind = localKind;
            KernelKind = kernelKind;
        }

        /// <summary>The member's name.</summary>
        public string Name { get; }
        /// <summary>The member's index in the local struct.</summary>
        public int LocalIndex { get; }
        /// <summary>The member's index in the kernel struct (the program's expected_attach_type), -1 if absent.</summary>
        public int KernelIndex { get; }
        /// <summary>The member's byte offset in the kernel's map value; -1 if absent.</summary>
        public int KernelOffset { get; }
        /// <summary>The member's local type, described for messages (e.g. a function pointer, or an integer and its size).</summary>
        public string LocalKind { get; }
        /// <summary>The member's kernel type, described as <see cref="LocalKind"/>; null if absent.</summary>
        public string? KernelKind { get; }
        /// <summary>True when the kernel's struct has the member.</summary>
        public bool InKernel => KernelIndex >= 0;

        /// <summary>"name: kernel member N" or "name: not in kernel", for messages.</summary>
        public override string ToString() => InKernel ? $"{Name}: kernel member {KernelIndex}" : $"{Name}: not in kernel";
    }
}
