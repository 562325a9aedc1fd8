using BpfSkeleton.Btf;
using BpfSkeleton.Elf;

namespace BpfSkeleton.Runtime.Tests.ObjectModel;

/// <summary>Touches everything a consumer can read from a type, so malformed input surfaces wherever it is.</summary>
internal static class TypeWalker
{
    public static void Walk(BtfSpec btf, int id)
    {
        var t = btf.GetType(id);
        _ = t.Name;
        _ = t.Size;
        _ = t.IsSigned;
        Try(() => btf.GetTypeName(id));
        Try(() => btf.ResolveSize(id));
        Try(() => btf.ResolveAlignment(id));
        Try(() => btf.SkipModifiers(id));
        Try(() => btf.SkipModifiersAndTypedefs(id));
        switch (t.Kind)
        {
            case BtfKind.Int:
                _ = t.Int.Bits;
                break;
            case BtfKind.Array:
                Try(() => btf.GetType(t.Array.ElementTypeId));
                Try(() => btf.GetType(t.Array.IndexTypeId));
                break;
            case BtfKind.Struct or BtfKind.Union:
                foreach (var m in t.Members)
                {
                    Try(() => m.Name);
                    Try(() => btf.GetType(m.TypeId));
                }
                break;
            case BtfKind.Enum or BtfKind.Enum64:
                for (int i = 0; i < t.Vlen; i++)
                    Try(() => t.GetEnumValue(i).Name);
                break;
            case BtfKind.FuncProto:
                for (int i = 0; i < t.Vlen; i++)
                    Try(() => t.GetParam(i).Name);
                break;
            case BtfKind.Datasec:
                for (int i = 0; i < t.Vlen; i++)
                    Try(() => btf.GetType(t.GetVarSecInfo(i).TypeId));
                break;
            case BtfKind.Var:
                _ = t.VarLinkage;
                break;
            case BtfKind.Func:
                _ = t.FuncLinkage;
                break;
            case BtfKind.DeclTag:
                _ = t.DeclTagComponentIndex;
                break;
            case BtfKind.Forward:
                _ = t.ForwardKind;
                break;
        }
    }

    public static void WalkElf(ElfFile elf)
    {
        foreach (var s in elf.Sections)
        {
            if (s.Type == ElfConstants.SHT_REL)
                Try(() => elf.GetRelocations(s));
            Try(() => elf.GetRelocationSectionFor(s));
        }
    }

    /// <summary>Runs a read that may legitimately fail on malformed input; only format errors are allowed.</summary>
    private static void Try<T>(System.Func<T> read)
    {
        try
        {
            read();
        }
        catch (BpfFormatException)
        {
        }
    }
}
