using System;
using System.Collections.Generic;

namespace BpfSkeleton.Specs
{
    /// <summary>
    /// A struct_ops map's local definition: the struct's bytes in the object's BTF layout and one
    /// program slot per function-pointer member. This is the data a shadow type edits before load.
    /// </summary>
    public sealed class StructOpsSpec
    {
        private readonly string?[] _programSlots;

        internal StructOpsSpec(string name, string sectionName, string typeName, int typeId, byte[] data,
            IReadOnlyList<StructOpsMember> members)
        {
            Name = name;
            SectionName = sectionName;
            TypeName = typeName;
            TypeId = typeId;
            _data = data;
            Members = members;
            _programSlots = new string?[members.Count];
        }

        /// <summary>The variable's name, which is also the map's name.</summary>
        public string Name { get; }

        /// <summary><c>.struct_ops</c>, <c>.struct_ops.link</c>, <c>?.struct_ops</c> or <c>?.struct_ops.link</c>.</summary>
        public string SectionName { get; }

        /// <summary>Registered through a BPF link (<c>.struct_ops.link</c>) rather than a map update.</summary>
        public bool IsLink => SectionName.EndsWith(".link", StringComparison.Ordinal);

        /// <summary>Declared with the <c>?</c> prefix: not created unless asked.</summary>
        public bool IsOptional => SectionTable.IsOptional(SectionName);

        /// <summary>The local struct's name as written in C, flavor suffix included (e.g. <c>tcp_congestion_ops</c>).</summary>
        public string TypeName { get; }

        /// <summary>The kernel type's name: <see cref="TypeName"/> without a <c>___flavor</c> suffix.</summary>
        public string KernelTypeName => Btf.BtfNames.EssentialName(TypeName);

        /// <summary>The struct's type id in the object's BTF.</summary>
        public int TypeId { get; }

        /// <summary>The struct's bytes in the local layout; function-pointer members stay zero (they are slots).</summary>
        public ReadOnlyMemory<byte> Data => _data;

        private readonly byte[] _data;

        /// <summary>The struct's members in declaration order (the object's BTF layout).</summary>
        public IReadOnlyList<StructOpsMember> Members { get; }

        /// <summary>The member named <paramref name="name"/>; null if the struct has none.</summary>
        public StructOpsMember? FindMember(string name)
        {
            foreach (var member in Members)
                if (member.Name == name) return member;
            return null;
        }

        /// <summary>The program bound to a function-pointer member, or null.</summary>
        public string? GetProgram(StructOpsMember member) => _programSlots[member.Index];

        /// <summary>The opened object's edit check; see <see cref="SpecEditGuard"/>.</summary>
        internal SpecEditGuard Guard { get; set; } = SpecEditGuard.None;

        /// <summary>Binds a function-pointer member to a program (by name), or unbinds it with null.</summary>
        public void SetProgram(StructOpsMember member, string? programName)
        {
            if (Guard.IsActive) Guard.BeforeEdit("struct_ops ", Name, $" member '{member.Name}'");
            if (!member.IsFunctionPointer)
                throw new InvalidOperationException(
                    $"struct_ops '{Name}': member '{member.Name}' is not a function pointer and cannot hold a program");
            _programSlots[member.Index] = programName;
        }

        /// <summary>The bytes of a member as the object (or an edit before load) set them.</summary>
        public ReadOnlySpan<byte> MemberBytes(StructOpsMember member) => _data.AsSpan(member.Offset, member.Size);

        /// <summary>A member's bytes to edit: only through the opened object's guarded setters, or a spec nobody opened.</summary>
        internal Span<byte> WritableMemberBytes(StructOpsMember member)
        {
            if (Guard.IsActive) Guard.BeforeEdit("struct_ops ", Name, $" member '{member.Name}'");
            return _data.AsSpan(member.Offset, member.Size);
        }
    }

    /// <summary>How a struct_ops member is treated at load.</summary>
    public enum StructOpsMemberKind
    {
        /// <summary>Copied byte for byte into the kernel value (ints, enums, floats, char arrays, nested structs).</summary>
        Data,
        /// <summary>A function pointer: a program slot.</summary>
        FunctionPointer,
        /// <summary>Any other pointer: must stay zero (the kernel fills e.g. <c>owner</c>).</summary>
        OtherPointer,
    }

    /// <summary>One member of a struct_ops struct in the object's BTF layout.</summary>
    public sealed class StructOpsMember
    {
        internal StructOpsMember(int index, string name, int offset, int size, int typeId, StructOpsMemberKind kind, int bitfieldSize)
        {
            Index = index;
            Name = name;
            Offset = offset;
            Size = size;
            TypeId = typeId;
            Kind = kind;
            BitfieldSize = bitfieldSize;
        }

        /// <summary>Position in the local struct (not the kernel's; members are matched by name).</summary>
        public int Index { get; }

        /// <summary>The member's C name, e.g. "ssthresh".</summary>
        public string Name { get; }

        /// <summary>Byte offset in the local struct.</summary>
        public int Offset { get; }

        /// <summary>Size of the member in bytes (0 for bitfields).</summary>
        public int Size { get; }

        /// <summary>The member's type id in the object's BTF.</summary>
        public int TypeId { get; }

        /// <summary>What the member holds: data, a program slot, or another pointer.</summary>
        public StructOpsMemberKind Kind { get; }

        /// <summary>True for a function pointer member: a slot for a struct_ops program.</summary>
        public bool IsFunctionPointer => Kind == StructOpsMemberKind.FunctionPointer;

        /// <summary>Non-zero for bitfield members, which struct_ops rejects at load.</summary>
        public int BitfieldSize { get; }

        /// <summary>"name @offset (N bytes, Kind)" for messages.</summary>
        public override string ToString() => $"{Name} @{Offset} ({Size} bytes, {Kind})";
    }
}
