using System;
using BpfSkeleton.Btf;

namespace BpfSkeleton.Runtime.Tests.Core;

/// <summary>Expected values for CO-RE tests, read directly from a BTF (through anonymous members by name).</summary>
internal static class KernelLayout
{
    public static int StructId(BtfSpec btf, string name)
        => btf.TryFindByName(name, BtfKind.Struct, out var id) ? id : throw new InvalidOperationException($"no struct {name}");

    /// <summary>Bit offset of a member found by name, depth-first through anonymous structs/unions.</summary>
    public static (long BitOffset, BtfMember Member) Field(BtfSpec btf, int structId, string name)
    {
        var found = Search(btf, structId, name, 0);
        return found ?? throw new InvalidOperationException($"{btf.GetTypeName(structId)} has no member {name}");
    }

    private static (long, BtfMember)? Search(BtfSpec btf, int structId, string name, long baseOffset)
    {
        var type = btf.GetType(btf.SkipModifiersAndTypedefs(structId));
        foreach (var member in type.Members)
        {
            if (member.Name == name) return (baseOffset + member.BitOffset, member);
            if (member.NameOffset != 0) continue;
            var inner = btf.GetType(btf.SkipModifiersAndTypedefs(member.TypeId));
            if (inner.Kind is not (BtfKind.Struct or BtfKind.Union)) continue;
            var found = Search(btf, inner.Id, name, baseOffset + member.BitOffset);
            if (found is not null) return found;
        }
        return null;
    }
}
