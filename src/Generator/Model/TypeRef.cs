namespace BpfSkeleton.Generator.Model
{
    /// <summary>How a C value is represented in C#.</summary>
    internal enum ValueShape
    {
        /// <summary>A C# primitive (<c>int</c>, <c>ulong</c>, <c>bool</c>, <c>float</c>, …).</summary>
        Scalar,
        /// <summary>A generated C# enum.</summary>
        Enum,
        /// <summary>A generated explicit-layout struct (C struct or union).</summary>
        Struct,
        /// <summary>A fixed-size array: <see cref="TypeRef.Element"/> × <see cref="TypeRef.Count"/>, flattened.</summary>
        Array,
        /// <summary>Nothing C# can type (unsized kinds, odd widths): kept as raw bytes.</summary>
        Bytes,
    }

    /// <summary>
    /// A C type as C# sees it. <see cref="CSharpName"/> is the type's C# spelling (for arrays, the
    /// generated inline-array struct); <see cref="CType"/> is the C spelling for documentation.
    /// </summary>
    internal sealed record TypeRef(string CSharpName, ValueShape Shape, int Size, string CType, TypeRef? Element = null, int Count = 0)
    {
        /// <summary>C <c>char[N]</c>: exposed as a NUL-terminated UTF-8 string where that helps.</summary>
        public bool IsText { get; init; }

        /// <summary>A pointer read as its 64-bit value.</summary>
        public bool IsPointer { get; init; }

        public bool IsSigned { get; init; }
    }
}
