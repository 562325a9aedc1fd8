using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BpfSkeleton.Specs;

namespace BpfSkeleton
{
    /// <summary>
    /// A struct_ops map: the local struct data and program slots a shadow edits before load, and
    /// registration with the kernel subsystem on attach. It is also an ordinary map (<see cref="Map"/>).
    /// </summary>
    public sealed class BpfStructOpsMap
    {
        internal BpfStructOpsMap(BpfObject owner, BpfObjectMap map, StructOpsSpec spec, int index)
        {
            Object = owner;
            Map = map;
            Spec = spec;
            Index = index;
        }

        /// <summary>Its place in <see cref="BpfObject.StructOpsMaps"/>, and in the loaded state.</summary>
        internal int Index { get; }

        public BpfObject Object { get; }

        public BpfObjectMap Map { get; }

        public StructOpsSpec Spec { get; }

        public string Name => Spec.Name;

        /// <summary>The kernel struct it implements, e.g. <c>tcp_congestion_ops</c>.</summary>
        public string TypeName => Spec.KernelTypeName;

        public IReadOnlyList<StructOpsMember> Members => Spec.Members;

        /// <summary>Registered through a BPF link (<c>.struct_ops.link</c>).</summary>
        public bool IsLink => Spec.IsLink;

        /// <summary>After load: how the local members matched the running kernel's type.</summary>
        public StructOpsKernelMatch? KernelMatch => KernelValue?.Match;

        /// <summary>The kernel value Load() built (kernel type, value in kernel layout, program placements), while loaded.</summary>
        internal StructOpsKernelValue? KernelValue => Object.Loaded?.Plan.StructOps[Index];

        public StructOpsMember Member(string name)
            => Spec.FindMember(name) ?? throw new ArgumentException($"struct_ops '{Name}' ({Spec.TypeName}) has no member '{name}'", nameof(name));

        /// <summary>A member's local bytes (read-only view).</summary>
        public ReadOnlySpan<byte> ReadMember(StructOpsMember member) => Spec.MemberBytes(member);

        /// <summary>A member's local bytes to edit; only before Load().</summary>
        public Span<byte> WriteMember(StructOpsMember member)
        {
            Object.RequireEditable($"struct_ops '{Name}' member '{member.Name}'");
            if (member.Kind != StructOpsMemberKind.Data)
                throw new InvalidOperationException($"struct_ops '{Name}': member '{member.Name}' is a pointer; only data members hold bytes");
            return Spec.WritableMemberBytes(member);
        }

        public T Read<T>(StructOpsMember member, int offsetInMember = 0) where T : unmanaged
            => MemoryMarshal.Read<T>(ReadMember(member).Slice(offsetInMember, Unsafe.SizeOf<T>()));

        public void Write<T>(StructOpsMember member, T value, int offsetInMember = 0) where T : unmanaged
            => MemoryMarshal.Write(WriteMember(member).Slice(offsetInMember, Unsafe.SizeOf<T>()), in value);

        /// <summary>The program a function-pointer member points to, or null.</summary>
        public BpfProgram? GetProgram(StructOpsMember member)
        {
            var name = Spec.GetProgram(member);
            return name is null ? null : Object.Program(name);
        }

        /// <summary>
        /// Re-points a function-pointer member before load. The program must be a struct_ops program
        /// of this object; null clears the slot. Programs no created map references are not loaded.
        /// </summary>
        public void SetProgram(StructOpsMember member, BpfProgram? program)
        {
            Object.RequireEditable($"struct_ops '{Name}' member '{member.Name}'");
            if (program is not null)
            {
                if (!ReferenceEquals(program.Object, Object))
                    throw new ArgumentException($"struct_ops '{Name}': program '{program.Name}' belongs to another object", nameof(program));
                if (!program.IsStructOps)
                    throw new ArgumentException(
                        $"struct_ops '{Name}': member '{member.Name}' can only point to a struct_ops program; '{program.Name}' is {program.Type} (section '{program.SectionName}')",
                        nameof(program));
            }
            Spec.SetProgram(member, program?.Name);
        }

        /// <summary>
        /// Registers the struct_ops with its kernel subsystem: a map update for plain maps, a BPF
        /// link for <c>.struct_ops.link</c> maps. Disposing the returned link unregisters. A plain map
        /// registers once (the kernel frees its value when unregistered); a link map registers again.
        /// </summary>
        public BpfLink Register()
        {
            if (Object.State is not (BpfObjectState.Loaded or BpfObjectState.Attached or BpfObjectState.Detached))
                Object.RequireState(BpfObjectState.Loaded, $"register struct_ops '{Name}'");
            return StructOpsRegistration.Register(this);
        }

        public override string ToString() => $"struct_ops '{Name}' ({Spec.TypeName})";
    }

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

        public string KernelTypeName { get; }
        public int KernelTypeId { get; }
        public int KernelValueSize { get; }
        public IReadOnlyList<StructOpsMemberMatch> Members { get; }

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

        public string Name { get; }
        public int LocalIndex { get; }
        /// <summary>The member's index in the kernel struct (the program's expected_attach_type), -1 if absent.</summary>
        public int KernelIndex { get; }
        public int KernelOffset { get; }
        public string LocalKind { get; }
        public string? KernelKind { get; }
        public bool InKernel => KernelIndex >= 0;

        public override string ToString() => InKernel ? $"{Name}: kernel member {KernelIndex}" : $"{Name}: not in kernel";
    }
}
