namespace BpfSkeleton.Generator.Model
{
    /// <summary>A typed view of one global data section (<c>Bss</c>, <c>Rodata</c>, <c>DataCustom</c>, …).</summary>
    internal sealed record DataSectionModel(string PropertyName, string ViewName, string SectionName, bool IsReadOnly, int Size,
        EquatableArray<VariableModel> Variables, bool IsArena = false);

    /// <summary>A global variable at a BTF-given offset.</summary>
    internal sealed record VariableModel(string Name, string CName, int Offset, int Size, TypeRef Type);
}
