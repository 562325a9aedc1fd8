namespace BpfSkeleton.Generator.Model
{
    /// <summary>A struct_ops map exposed as <c>StructOps.X</c> through a shadow of its struct type.</summary>
    internal sealed record StructOpsModel(string PropertyName, string MapName, string ShadowName, string CType, string SectionName);

    /// <summary>How a shadow exposes one member.</summary>
    internal enum ShadowMemberKind
    {
        /// <summary>Typed get/set over Read/Write.</summary>
        Scalar,
        /// <summary><c>BpfProgram?</c> over GetProgram/SetProgram.</summary>
        Program,
        /// <summary>A <c>char[N]</c> as a NUL-terminated UTF-8 string.</summary>
        Text,
        /// <summary>An array as <c>Span&lt;T&gt;</c> (editable before load).</summary>
        Array,
        /// <summary>A nested struct as a nested shadow.</summary>
        Nested,
        /// <summary>Untypeable bytes, kept exact: <c>ReadOnlySpan&lt;byte&gt;</c>.</summary>
        Bytes,
    }

    /// <summary>
    /// One shadow member. <see cref="MemberName"/> is the top-level struct_ops member it lives in;
    /// <see cref="Offset"/> is relative to that member (0 for top-level members).
    /// </summary>
    internal sealed record ShadowMemberModel(string Name, string CName, string CType, ShadowMemberKind Kind, string MemberName,
        int Offset, int Size, TypeRef Type, string? NestedShadow = null);
}
