using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BpfSkeleton.Links;
using BpfSkeleton.Loading;
using BpfSkeleton.Specs;

namespace BpfSkeleton
{
    /// <summary>
    /// A struct_ops map: the local struct data and program slots a shadow edits before load, and
    /// registration with the kernel subsystem on attach. It is also an ordinary map (<see cref="Map"/>).
    /// </summary>
    public sealed class BpfStructOpsMap : ILoadStructOps
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

        int ILoadStructOps.Index => Index;
        ILoadSource ILoadStructOps.Object => Object;
        ILoadMap ILoadStructOps.Map => Map;

        /// <summary>The object the struct_ops map belongs to.</summary>
        public BpfObject Object { get; }

        /// <summary>The underlying object map (BPF_MAP_TYPE_STRUCT_OPS); its <see cref="BpfObjectMap.Map"/> is the kernel map after load.</summary>
        public BpfObjectMap Map { get; }

        /// <summary>The struct_ops variable as parsed: members, local data and program slots (read only; edit through this object).</summary>
        public StructOpsSpec Spec { get; }

        /// <summary>The variable's name in the BPF object, e.g. "tcp_ca".</summary>
        public string Name => Spec.Name;

        /// <summary>The kernel struct it implements, e.g. <c>tcp_congestion_ops</c>.</summary>
        public string TypeName => Spec.KernelTypeName;

        /// <summary>The members of the local struct (the object's BTF), in declaration order.</summary>
        public IReadOnlyList<StructOpsMember> Members => Spec.Members;

        /// <summary>Registered through a BPF link (<c>.struct_ops.link</c>).</summary>
        public bool IsLink => Spec.IsLink;

        /// <summary>After load: how the local members matched the running kernel's type.</summary>
        public StructOpsKernelMatch? KernelMatch => KernelValue?.Match;

        /// <summary>The kernel value Load() built (kernel type, value in kernel layout, program placements), while loaded.</summary>
        internal StructOpsKernelValue? KernelValue => Object.Loaded?.Plan.StructOps[Index];

        /// <summary>The member named <paramref name="name"/>. Throws <see cref="ArgumentException"/> when the struct has none.</summary>
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

        /// <summary>
        /// Reads a <typeparamref name="T"/> at <paramref name="offsetInMember"/> bytes into data member <paramref name="member"/> (local bytes).
        /// Throws <see cref="ArgumentOutOfRangeException"/> when it does not fit in the member.
        /// </summary>
        public T Read<T>(StructOpsMember member, int offsetInMember = 0) where T : unmanaged
            => MemoryMarshal.Read<T>(ReadMember(member).Slice(offsetInMember, Unsafe.SizeOf<T>()));

        /// <summary>
        /// Writes <paramref name="value"/> at <paramref name="offsetInMember"/> bytes into data member <paramref name="member"/>; only before load.
        /// Throws <see cref="InvalidOperationException"/> after load or for a function pointer member, <see cref="ArgumentOutOfRangeException"/> when it does not fit.
        /// </summary>
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

        /// <summary>"struct_ops 'name' (type)" for messages.</summary>
        public override string ToString() => $"struct_ops '{Name}' ({Spec.TypeName})";
    }
}
