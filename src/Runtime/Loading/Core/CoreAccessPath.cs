using System;
using System.Collections.Generic;
using BpfSkeleton.Btf;

namespace BpfSkeleton
{
    /// <summary>
    /// A CO-RE access string (e.g. <c>0:1:2</c>) resolved against one BTF: the type reached, the
    /// bit offset, and for each step the member name used to find the same field in another BTF.
    /// </summary>
    internal sealed class CoreAccessPath
    {
        public int RootTypeId { get; private set; }

        /// <summary>Member names (null for array index steps) after the first (pointer-arithmetic) index.</summary>
        public List<(string? MemberName, int Index)> Steps { get; } = new();

        public int FirstIndex { get; private set; }

        /// <summary>Bit offset of the field from the start of the root object.</summary>
        public long BitOffset { get; set; }

        /// <summary>The field's own type id (unresolved).</summary>
        public int FieldTypeId { get; set; }

        public int BitfieldSize { get; set; }

        public static int[] ParseIndices(string access, string where)
        {
            var parts = access.Split(':');
            var indices = new int[parts.Length];
            for (var i = 0; i < parts.Length; i++)
                if (!int.TryParse(parts[i], out indices[i]) || indices[i] < 0)
                    throw new BpfLoadException($"{where}: malformed CO-RE access string '{access}'");
            return indices;
        }

        /// <summary>Resolves a field access in the local (object) BTF.</summary>
        public static CoreAccessPath ResolveLocal(BtfSpec btf, int rootTypeId, int[] indices, string where)
        {
            var path = new CoreAccessPath { RootTypeId = rootTypeId, FirstIndex = indices[0] };
            var current = btf.SkipModifiersAndTypedefs(rootTypeId);
            path.BitOffset = indices[0] * btf.ResolveSize(current) * 8;
            path.FieldTypeId = rootTypeId;
            for (var step = 1; step < indices.Length; step++)
            {
                var type = btf.GetType(current);
                var index = indices[step];
                if (type.Kind is BtfKind.Struct or BtfKind.Union)
                {
                    if (index >= type.Vlen) throw new BpfLoadException($"{where}: CO-RE accessor {index} exceeds {btf.GetTypeName(current)}'s {type.Vlen} members");
                    var member = type.GetMember(index);
                    path.BitOffset += member.BitOffset;
                    path.Steps.Add((member.Name.Length == 0 ? "" : member.Name, index));
                    path.FieldTypeId = member.TypeId;
                    path.BitfieldSize = member.BitfieldSize;
                    current = btf.SkipModifiersAndTypedefs(member.TypeId);
                }
                else if (type.Kind == BtfKind.Array)
                {
                    var element = type.Array.ElementTypeId;
                    path.BitOffset += (long)index * btf.ResolveSize(element) * 8;
                    path.Steps.Add((null, index));
                    path.FieldTypeId = element;
                    path.BitfieldSize = 0;
                    current = btf.SkipModifiersAndTypedefs(element);
                }
                else
                {
                    throw new BpfLoadException($"{where}: CO-RE accessor steps into {type.Kind} {btf.GetTypeName(current)}, which has no members");
                }
            }
            return path;
        }

        /// <summary>
        /// Follows the local path in a target BTF by member names (through anonymous members) and
        /// array indices; null when some field does not exist or is incompatible.
        /// </summary>
        public static CoreAccessPath? MatchTarget(BtfSpec local, CoreAccessPath localPath, BtfSpec target, int targetRootId)
        {
            var path = new CoreAccessPath { RootTypeId = targetRootId, FirstIndex = localPath.FirstIndex };
            var current = target.SkipModifiersAndTypedefs(targetRootId);
            path.BitOffset = localPath.FirstIndex * target.ResolveSize(current) * 8;
            path.FieldTypeId = targetRootId;
            var localCurrent = local.SkipModifiersAndTypedefs(localPath.RootTypeId);
            foreach (var (name, index) in localPath.Steps)
            {
                var type = target.GetType(current);
                var localType = local.GetType(localCurrent);
                if (name is null)
                {
                    if (type.Kind != BtfKind.Array) return null;
                    var count = type.Array.Count;
                    if (index >= count && count != 0) return null;
                    var element = type.Array.ElementTypeId;
                    path.BitOffset += (long)index * target.ResolveSize(element) * 8;
                    path.FieldTypeId = element;
                    path.BitfieldSize = 0;
                    current = target.SkipModifiersAndTypedefs(element);
                    localCurrent = local.SkipModifiersAndTypedefs(localType.Array.ElementTypeId);
                    continue;
                }
                if (type.Kind is not (BtfKind.Struct or BtfKind.Union)) return null;
                var localMember = localType.GetMember(index);
                if (name.Length == 0)
                {
                    // An anonymous member is matched by position only when the target has the same shape; libbpf skips it by name search.
                    return null;
                }
                if (!FindMember(target, current, name, 0, out var bitOffset, out var member)) return null;
                if (!CoreCompat.FieldsCompatible(local, localMember.TypeId, target, member.TypeId)) return null;
                path.BitOffset += bitOffset;
                path.Steps.Add((name, index));
                path.FieldTypeId = member.TypeId;
                path.BitfieldSize = member.BitfieldSize;
                current = target.SkipModifiersAndTypedefs(member.TypeId);
                localCurrent = local.SkipModifiersAndTypedefs(localMember.TypeId);
            }
            return path;
        }

        /// <summary>Finds a named member, descending into anonymous structs/unions, accumulating their offsets.</summary>
        private static bool FindMember(BtfSpec btf, int structId, string name, int depth, out long bitOffset, out BtfMember found)
        {
            bitOffset = 0;
            found = default;
            if (depth > 32) return false;
            var type = btf.GetType(structId);
            for (var i = 0; i < type.Vlen; i++)
            {
                var member = type.GetMember(i);
                if (member.Name == name)
                {
                    bitOffset = member.BitOffset;
                    found = member;
                    return true;
                }
                if (member.Name.Length != 0) continue;
                var inner = btf.SkipModifiersAndTypedefs(member.TypeId);
                if (btf.GetType(inner).Kind is not (BtfKind.Struct or BtfKind.Union)) continue;
                if (FindMember(btf, inner, name, depth + 1, out var innerOffset, out found))
                {
                    bitOffset = member.BitOffset + innerOffset;
                    return true;
                }
            }
            return false;
        }
    }
}
