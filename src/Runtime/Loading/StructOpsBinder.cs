using System;
using System.Collections.Generic;
using BpfSkeleton.Btf;
using BpfSkeleton.KernelFacts;
using BpfSkeleton.Logging;
using BpfSkeleton.Specs;

namespace BpfSkeleton.Loading
{
    /// <summary>
    /// Matches a struct_ops map's local struct to the running kernel's, libbpf's way: members by
    /// name in any order, equal kind after modifiers and typedefs, equal size for data members
    /// (whose bytes are copied into the kernel value); function pointers become program slots
    /// whose programs load with attach_btf_id = the kernel struct and expected_attach_type = the
    /// kernel member index. A local member the kernel lacks must be zero.
    /// </summary>
    internal static class StructOpsBinder
    {
        public static StructOpsKernelValue Bind(ILoadStructOps map, LoadPlan plan, BtfSpec localBtf, BtfSpec vmlinux, bool searchModules)
        {
            var spec = map.Spec;
            var where = $"{map.Object.Spec.FileName}: struct_ops '{spec.Name}'";
            var kernelType = StructOpsKernelType.Find(vmlinux, searchModules, spec.KernelTypeName)
                ?? throw new BpfLoadException(
                    $"{where}: the kernel has no struct_ops type '{spec.KernelTypeName}' (no 'struct {spec.KernelTypeName}' with a 'struct bpf_struct_ops_{spec.KernelTypeName}' value type in vmlinux or module BTF); is the subsystem built in and its module loaded?");

            var kernelBtf = kernelType.Btf;
            var kernelStruct = kernelBtf.GetType(kernelType.StructTypeId);
            var value = new byte[kernelType.ValueSize];
            var matches = new List<StructOpsMemberMatch>(spec.Members.Count);
            var placements = new List<(StructOpsMember Member, int KernelOffset)>();

            foreach (var member in spec.Members)
            {
                var localKind = DescribeKind(localBtf, member.TypeId, member.Size);
                var kernelIndex = FindMember(kernelBtf, kernelStruct, member.Name);
                var program = spec.GetProgram(member);
                if (kernelIndex < 0)
                {
                    if (program is not null || !IsZero(spec.MemberBytes(member)))
                        throw new BpfLoadException(
                            $"{where}: member '{member.Name}' ({localKind}) is set, but the kernel's struct {spec.KernelTypeName} has no such member; leave it zero/unset to run on this kernel");
                    matches.Add(new StructOpsMemberMatch(member.Name, member.Index, -1, -1, localKind, null));
                    continue;
                }

                var kernelMember = kernelStruct.GetMember(kernelIndex);
                var kernelSize = kernelMember.BitfieldSize != 0 ? 0 : (int)kernelBtf.ResolveSize(kernelMember.TypeId);
                var kernelKind = DescribeKind(kernelBtf, kernelMember.TypeId, kernelSize);
                if (member.BitfieldSize != 0 || kernelMember.BitfieldSize != 0)
                    throw new BpfLoadException($"{where}: member '{member.Name}' is a bitfield (local {localKind}, kernel {kernelKind}); struct_ops bitfields are not supported");

                var localResolved = localBtf.GetType(localBtf.SkipModifiersAndTypedefs(member.TypeId));
                var kernelResolved = kernelBtf.GetType(kernelBtf.SkipModifiersAndTypedefs(kernelMember.TypeId));
                if (localResolved.Kind != kernelResolved.Kind)
                    throw new BpfLoadException($"{where}: member '{member.Name}' is {localKind} locally but {kernelKind} in the kernel");

                var kernelOffset = kernelType.DataOffset + (int)(kernelMember.BitOffset / 8);
                matches.Add(new StructOpsMemberMatch(member.Name, member.Index, kernelIndex, kernelOffset, localKind, kernelKind));

                if (localResolved.Kind == BtfKind.Pointer)
                {
                    if (program is null) continue;
                    if (!member.IsFunctionPointer)
                        throw new BpfLoadException($"{where}: member '{member.Name}' is a data pointer and cannot hold program '{program}'");
                    BindProgram(plan, map.Object.Program(program), kernelType, kernelIndex, where, member.Name);
                    placements.Add((member, kernelOffset));
                    continue;
                }

                if (member.Size != kernelSize)
                    throw new BpfLoadException($"{where}: member '{member.Name}' is {localKind} locally but {kernelKind} in the kernel (sizes differ)");
                spec.MemberBytes(member).CopyTo(value.AsSpan(kernelOffset, kernelSize));
            }

            var match = new StructOpsKernelMatch(spec.KernelTypeName, kernelType.StructTypeId, kernelType.ValueSize, matches);
            if (LoaderLog.DebugEnabled) LoaderLog.StructOpsMatched(where, spec.KernelTypeName, string.Join(", ", matches));
            return new StructOpsKernelValue(kernelType, match, value, placements);
        }

        /// <summary>One program may serve several maps, but only for the same kernel struct and member index.</summary>
        private static void BindProgram(LoadPlan plan, ILoadProgram program, StructOpsKernelType kernelType, int memberIndex, string where, string memberName)
        {
            var binding = new StructOpsProgramBinding(kernelType.StructTypeId, memberIndex, kernelType.Module);
            ref var slot = ref plan.StructOpsBindings[program.Index];
            if (slot is { } existing && existing != binding)
                throw new BpfLoadException(
                    $"{where}: program '{program.Name}' is used for member '{memberName}' (kernel member {memberIndex}) but already for kernel member {existing.MemberIndex} of another struct_ops type or slot; a struct_ops program is loaded for exactly one member");
            slot = binding;
        }

        private static int FindMember(BtfSpec btf, BtfType type, string name)
        {
            for (var i = 0; i < type.Vlen; i++)
                if (type.GetMember(i).Name == name) return i;
            return -1;
        }

        private static bool IsZero(ReadOnlySpan<byte> bytes) => bytes.IndexOfAnyExcept((byte)0) < 0;

        /// <summary>"func pointer (8 bytes)", "int (4 bytes)", "char[16] (16 bytes)" — for error messages.</summary>
        private static string DescribeKind(BtfSpec btf, int typeId, int size)
        {
            var resolved = btf.GetType(btf.SkipModifiersAndTypedefs(typeId));
            string kind;
            if (resolved.Kind == BtfKind.Pointer)
            {
                var target = btf.GetType(btf.SkipModifiersAndTypedefs(resolved.TypeId));
                kind = target.Kind == BtfKind.FuncProto ? "a function pointer" : "a pointer";
            }
            else
            {
                kind = KindName(resolved.Kind) + " " + btf.GetTypeName(typeId);
            }
            return $"{kind} ({size} bytes)";
        }

        /// <summary>
        /// The kind's name in lower case, as Enum.ToString().ToLowerInvariant() gave it: without the reflection over the
        /// enum's names that ToString does on first use (about 2 ms of a ReadyToRun process's first load).
        /// </summary>
        internal static string KindName(BtfKind kind) => kind switch
        {
            BtfKind.Int => "int",
            BtfKind.Pointer => "pointer",
            BtfKind.Array => "array",
            BtfKind.Struct => "struct",
            BtfKind.Union => "union",
            BtfKind.Enum => "enum",
            BtfKind.Forward => "forward",
            BtfKind.Typedef => "typedef",
            BtfKind.Volatile => "volatile",
            BtfKind.Const => "const",
            BtfKind.Restrict => "restrict",
            BtfKind.Func => "func",
            BtfKind.FuncProto => "funcproto",
            BtfKind.Var => "var",
            BtfKind.Datasec => "datasec",
            BtfKind.Float => "float",
            BtfKind.DeclTag => "decltag",
            BtfKind.TypeTag => "typetag",
            BtfKind.Enum64 => "enum64",
            BtfKind.Unknown => "unknown",
            _ => ((int)kind).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
