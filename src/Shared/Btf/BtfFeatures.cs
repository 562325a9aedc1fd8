using System;

namespace BpfSkeleton.Btf
{
    /// <summary>BTF features a kernel may lack; <see cref="BtfPatcher.Sanitize"/> rewrites what is missing.</summary>
    [Flags]
    internal enum BtfFeatures
    {
        None = 0,
        Func = 1 << 0,          // FUNC and FUNC_PROTO (4.20+)
        GlobalFunc = 1 << 1,    // BTF_FUNC_GLOBAL linkage (5.6+)
        Datasec = 1 << 2,       // VAR and DATASEC (5.2+)
        Float = 1 << 3,         // FLOAT (5.13+)
        DeclTag = 1 << 4,       // DECL_TAG (5.16+)
        TypeTag = 1 << 5,       // TYPE_TAG (5.17+)
        Enum64 = 1 << 6,        // ENUM64 and signed enums (6.0+)
        QmarkDatasec = 1 << 7,  // DATASEC names starting with '?' (6.9+)
        Layout = 1 << 8,        // kind layout section in the header
        All = Func | GlobalFunc | Datasec | Float | DeclTag | TypeTag | Enum64 | QmarkDatasec | Layout,
    }
}
