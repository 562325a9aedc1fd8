namespace BpfSkeleton.Generator.Model
{
    /// <summary>A C# type the skeleton declares (nested in the skeleton class) for a BTF type.</summary>
    internal abstract record TypeDefinition(string Name, string CType);

    /// <summary>A C struct or union as an explicit-layout struct of <see cref="Size"/> bytes.</summary>
    internal sealed record StructDefinition(string Name, string CType, bool IsUnion, int Size, EquatableArray<FieldModel> Fields)
        : TypeDefinition(Name, CType);

    /// <summary>A C enum with its underlying integer type.</summary>
    internal sealed record EnumDefinition(string Name, string CType, string UnderlyingType, EquatableArray<EnumValueModel> Values)
        : TypeDefinition(Name, CType);

    /// <summary>An <c>[InlineArray]</c> struct for a fixed-size array inside a struct.</summary>
    internal sealed record InlineArrayDefinition(string Name, string CType, TypeRef Element, int Count)
        : TypeDefinition(Name, CType);

    /// <summary>
    /// A struct_ops shadow: typed properties over a <c>BpfStructOpsMap</c>. Top-level shadows address
    /// struct_ops members by name; nested shadows address bytes inside one member.
    /// </summary>
    internal sealed record ShadowDefinition(string Name, string CType, bool IsTopLevel, EquatableArray<ShadowMemberModel> Members)
        : TypeDefinition(Name, CType);

    internal sealed record EnumValueModel(string Name, string CName, string Literal);

    /// <summary>
    /// A struct member. Bitfields (<see cref="BitSize"/> &gt; 0) are read and written through a
    /// backing integer of <see cref="StorageSize"/> bytes at <see cref="StorageOffset"/>, shifted by
    /// <see cref="BitShift"/>.
    /// </summary>
    internal sealed record FieldModel(string Name, string CName, int Offset, TypeRef Type,
        int BitSize = 0, int BitShift = 0, int StorageOffset = 0, int StorageSize = 0);
}
