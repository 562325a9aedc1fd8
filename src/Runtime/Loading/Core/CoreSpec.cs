using System;
using System.Collections.Generic;
using System.Text;
using BpfSkeleton.Btf;

namespace BpfSkeleton.Loading
{
    /// <summary>One step of a CO-RE spec: a named member, an array index, or (first step) the root.</summary>
    internal readonly struct CoreAccessor
    {
        public CoreAccessor(int typeId, int index, uint nameOffset)
        {
            TypeId = typeId;
            Index = index;
            NameOffset = nameOffset;
        }

        /// <summary>The struct/union holding the member, the array element type, or the enum.</summary>
        public int TypeId { get; }

        public int Index { get; }

        /// <summary>Member or enumerator name; 0 for array indices and the root.</summary>
        public uint NameOffset { get; }

        public bool IsNamed => NameOffset != 0;
    }

    /// <summary>
    /// A relocation's access string resolved against one BTF, as libbpf's bpf_core_spec: named
    /// members and array indices become accessors (anonymous struct/union members do not — they
    /// are searched through in the target), the raw indices and the bit offset are kept.
    /// </summary>
    internal sealed class CoreSpec
    {
        private CoreSpec(BtfSpec btf, int rootTypeId, BtfCoreReloKind kind)
        {
            Btf = btf;
            RootTypeId = rootTypeId;
            Kind = kind;
        }

        public BtfSpec Btf { get; }
        public int RootTypeId { get; }
        public BtfCoreReloKind Kind { get; }
        public LoaderList<CoreAccessor> Accessors { get; } = new();
        public List<int> Raw { get; } = new();
        public long BitOffset { get; private set; }

        public CoreAccessor Last => Accessors[Accessors.Count - 1];

        public static bool IsFieldBased(BtfCoreReloKind kind) => kind <= BtfCoreReloKind.FieldRShiftU64;

        public static bool IsTypeBased(BtfCoreReloKind kind)
            => kind is BtfCoreReloKind.TypeIdLocal or BtfCoreReloKind.TypeIdTarget or BtfCoreReloKind.TypeExists or
                BtfCoreReloKind.TypeSize or BtfCoreReloKind.TypeMatches;

        public static bool IsEnumValueBased(BtfCoreReloKind kind) => kind is BtfCoreReloKind.EnumValueExists or BtfCoreReloKind.EnumValue;

        /// <summary>bpf_core_parse_spec; null with a reason when the record does not fit the object's BTF.</summary>
        public static CoreSpec? ParseLocal(BtfSpec btf, int typeId, BtfCoreReloKind kind, string access, out string? problem)
        {
            problem = null;
            var spec = new CoreSpec(btf, typeId, kind);
            foreach (var part in access.Split(':'))
            {
                if (!int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
                    return Fail(out problem, $"malformed access string '{access}'");
                spec.Raw.Add(index);
            }
            if (IsTypeBased(kind))
                return access == "0" ? spec : Fail(out problem, $"type relocation with access string '{access}' (expected \"0\")");

            var id = btf.SkipModifiersAndTypedefs(typeId);
            var type = btf.GetType(id);
            var first = spec.Raw[0];
            if (IsEnumValueBased(kind))
            {
                if (!CoreCompat.IsAnyEnum(type.Kind) || spec.Raw.Count > 1 || first >= type.Vlen)
                    return Fail(out problem, $"enumerator access '{access}' does not name an enumerator of {btf.GetTypeName(typeId)}");
                spec.Accessors.Add(new CoreAccessor(id, first, type.GetEnumValue(first).NameOffset));
                return spec;
            }
            if (!IsFieldBased(kind)) return Fail(out problem, $"unknown relocation kind {(uint)kind}");

            spec.Accessors.Add(new CoreAccessor(id, first, 0));
            if (!TrySize(btf, id, out var size)) return Fail(out problem, $"{btf.GetTypeName(typeId)} has no size");
            spec.BitOffset = (long)first * size * 8;
            for (var i = 1; i < spec.Raw.Count; i++)
            {
                id = btf.SkipModifiersAndTypedefs(id);
                type = btf.GetType(id);
                var index = spec.Raw[i];
                if (CoreCompat.IsComposite(type.Kind))
                {
                    if (index >= type.Vlen) return Fail(out problem, $"member {index} of {btf.GetTypeName(id)}, which has {type.Vlen}");
                    var member = type.GetMember(index);
                    spec.BitOffset += member.BitOffset;
                    if (member.NameOffset != 0) spec.Accessors.Add(new CoreAccessor(id, index, member.NameOffset));
                    id = member.TypeId;
                }
                else if (type.Kind == BtfKind.Array)
                {
                    var array = type.Array;
                    var element = btf.SkipModifiersAndTypedefs(array.ElementTypeId);
                    if (!IsFlexibleArray(btf, spec.Last, array) && index >= array.Count)
                        return Fail(out problem, $"index {index} past the end of {btf.GetTypeName(id)}");
                    spec.Accessors.Add(new CoreAccessor(element, index, 0));
                    if (!TrySize(btf, element, out size)) return Fail(out problem, $"{btf.GetTypeName(element)} has no size");
                    spec.BitOffset += (long)index * size * 8;
                    id = element;
                }
                else
                {
                    return Fail(out problem, $"access '{access}' steps into {type.Kind} {btf.GetTypeName(id)}, which has no members");
                }
            }
            return spec;
        }

        /// <summary>
        /// bpf_core_spec_match: follows this (local) spec in <paramref name="target"/> from candidate
        /// <paramref name="targetId"/>; null when a member is missing or incompatible.
        /// </summary>
        public CoreSpec? Match(BtfSpec target, int targetId)
        {
            var result = new CoreSpec(target, targetId, Kind);
            if (IsTypeBased(Kind))
            {
                var matches = Kind == BtfCoreReloKind.TypeMatches
                    ? CoreTypesMatch.Match(Btf, RootTypeId, target, targetId)
                    : CoreCompat.TypesCompatible(Btf, RootTypeId, target, targetId);
                return matches ? result : null;
            }

            if (IsEnumValueBased(Kind))
            {
                targetId = target.SkipModifiersAndTypedefs(targetId);
                var enumType = target.GetType(targetId);
                if (!CoreCompat.IsAnyEnum(enumType.Kind)) return null;
                var wanted = CoreNames.Essential(CoreNames.Bytes(Btf, Accessors[0].NameOffset));
                for (var i = 0; i < enumType.Vlen; i++)
                {
                    var name = enumType.GetEnumValue(i).NameOffset;
                    if (!CoreNames.Essential(CoreNames.Bytes(target, name)).SequenceEqual(wanted)) continue;
                    result.Accessors.Add(new CoreAccessor(targetId, i, name));
                    result.Raw.Add(i);
                    return result;
                }
                return null;
            }

            for (var i = 0; i < Accessors.Count; i++)
            {
                var local = Accessors[i];
                targetId = target.SkipModifiersAndTypedefs(targetId);
                if (local.IsNamed)
                {
                    if (!result.MatchMember(Btf, local, targetId, out targetId)) return null;
                    continue;
                }
                // The root is already the element type; later unnamed steps are array indices.
                if (i > 0)
                {
                    var arrayType = target.GetType(targetId);
                    if (arrayType.Kind != BtfKind.Array) return null;
                    if (!IsFlexibleArray(target, result.Last, arrayType.Array) && local.Index >= arrayType.Array.Count) return null;
                    targetId = target.SkipModifiersAndTypedefs(arrayType.Array.ElementTypeId);
                }
                result.Accessors.Add(new CoreAccessor(targetId, local.Index, 0));
                result.Raw.Add(local.Index);
                if (!TrySize(target, targetId, out var size)) return null;
                result.BitOffset += (long)local.Index * size * 8;
            }
            return result;
        }

        /// <summary>
        /// bpf_core_match_member: the first member of that exact name, searching depth-first
        /// through anonymous members and adding their offsets; it must be field-compatible.
        /// </summary>
        private bool MatchMember(BtfSpec local, CoreAccessor localAccessor, int targetId, out int nextTargetId)
        {
            var localMember = local.GetType(localAccessor.TypeId).GetMember(localAccessor.Index);
            return FindMember(local, localMember, targetId, 0, out nextTargetId) == MemberSearch.Found;
        }

        private enum MemberSearch { Absent, Found, Incompatible }

        private MemberSearch FindMember(BtfSpec local, BtfMember localMember, int targetId, int depth, out int nextTargetId)
        {
            nextTargetId = 0;
            var target = Btf;
            targetId = target.SkipModifiersAndTypedefs(targetId);
            var type = target.GetType(targetId);
            if (!CoreCompat.IsComposite(type.Kind) || depth > 32) return MemberSearch.Absent;
            var localName = CoreNames.Bytes(local, localMember.NameOffset);
            for (var i = 0; i < type.Vlen; i++)
            {
                var member = type.GetMember(i);
                BitOffset += member.BitOffset;
                Raw.Add(i);
                if (member.NameOffset == 0)
                {
                    var inner = FindMember(local, localMember, member.TypeId, depth + 1, out nextTargetId);
                    if (inner != MemberSearch.Absent) return inner;
                }
                else if (CoreNames.Bytes(target, member.NameOffset).SequenceEqual(localName))
                {
                    // The first member of that name decides: an incompatible one means no match at all.
                    if (!CoreCompat.FieldsCompatible(local, localMember.TypeId, target, member.TypeId)) return MemberSearch.Incompatible;
                    Accessors.Add(new CoreAccessor(targetId, i, member.NameOffset));
                    nextTargetId = member.TypeId;
                    return MemberSearch.Found;
                }
                BitOffset -= member.BitOffset;
                Raw.RemoveAt(Raw.Count - 1);
            }
            return MemberSearch.Absent;
        }

        /// <summary>A zero-length array as the last member of its struct may be indexed past its end.</summary>
        private static bool IsFlexibleArray(BtfSpec btf, CoreAccessor holder, BtfArray array)
        {
            if (!holder.IsNamed || array.Count > 0) return false;
            return holder.Index == btf.GetType(holder.TypeId).Vlen - 1;
        }

        private static bool TrySize(BtfSpec btf, int id, out long size)
        {
            try
            {
                size = btf.ResolveSize(id);
                return true;
            }
            catch (BpfFormatException)
            {
                size = 0;
                return false;
            }
        }

        private static CoreSpec? Fail(out string? problem, string reason)
        {
            problem = reason;
            return null;
        }

        /// <summary>The access as C: <c>struct task_struct::se.vruntime</c>, <c>arr[3]</c>, <c>enum x::VALUE</c>.</summary>
        public string Describe()
        {
            var text = new StringBuilder(Btf.GetTypeName(RootTypeId));
            if (IsTypeBased(Kind)) return text.ToString();
            if (IsEnumValueBased(Kind))
                return text.Append("::").Append(Btf.GetString(Accessors[0].NameOffset)).ToString();
            if (Raw[0] != 0) text.Append('[').Append(Raw[0]).Append(']');
            var id = Btf.SkipModifiersAndTypedefs(RootTypeId);
            var separator = "::";
            for (var i = 1; i < Raw.Count; i++)
            {
                var type = Btf.GetType(Btf.SkipModifiersAndTypedefs(id));
                if (type.Kind == BtfKind.Array)
                {
                    text.Append('[').Append(Raw[i]).Append(']');
                    id = type.Array.ElementTypeId;
                    continue;
                }
                var member = type.GetMember(Raw[i]);
                text.Append(separator).Append(member.NameOffset == 0 ? "<anon>" : member.Name);
                separator = ".";
                id = member.TypeId;
            }
            return text.ToString();
        }
    }
}
