using System;

namespace BpfSkeleton.Btf
{
    /// <summary>BTF_KIND_* numbers as stored in bits 24-28 of btf_type.info.</summary>
    internal enum BtfKind : byte
    {
        Unknown = 0,
        Int = 1,
        Pointer = 2,
        Array = 3,
        Struct = 4,
        Union = 5,
        Enum = 6,
        Forward = 7,
        Typedef = 8,
        Volatile = 9,
        Const = 10,
        Restrict = 11,
        Func = 12,
        FuncProto = 13,
        Var = 14,
        Datasec = 15,
        Float = 16,
        DeclTag = 17,
        TypeTag = 18,
        Enum64 = 19,
    }

    /// <summary>BTF_VAR_* linkage of a VAR.</summary>
    internal enum BtfVarLinkage : uint
    {
        Static = 0,
        GlobalAllocated = 1,
        GlobalExtern = 2,
    }

    /// <summary>BTF_FUNC_* linkage of a FUNC (stored in its vlen bits).</summary>
    internal enum BtfFuncLinkage : uint
    {
        Static = 0,
        Global = 1,
        Extern = 2,
    }

    /// <summary>BTF_INT_* encoding bits of an INT.</summary>
    [Flags]
    internal enum BtfIntFlags : byte
    {
        None = 0,
        Signed = 1,
        Char = 2,
        Bool = 4,
    }
}
