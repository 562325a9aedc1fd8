namespace BpfSkeleton.Generator.Model
{
    /// <summary>Everything the emitter needs for one object's skeleton; no Roslyn symbols, values only.</summary>
    internal sealed record SkeletonModel(
        string SourcePath,
        string FileName,
        string Namespace,
        string ClassName,
        string Visibility,
        EquatableBytes ObjectBytes,
        int OriginalSize,
        bool IsTyped,
        EquatableArray<ProgramModel> Programs,
        EquatableArray<MapModel> Maps,
        EquatableArray<DataSectionModel> DataSections,
        EquatableArray<StructOpsModel> StructOps,
        EquatableArray<TypeDefinition> Types,
        EquatableBytes? LoaderBytes = null)
    {
        /// <summary>A light skeleton: <c>Load()</c> runs the loader program recorded at build time (<see cref="LoaderBytes"/>).</summary>
        public bool IsLight => LoaderBytes is not null;

        public string FullName => Namespace.Length == 0 ? ClassName : Namespace + "." + ClassName;

        public string HintName => FullName + ".g.cs";
    }

    /// <summary>An entry-point program exposed as <c>Programs.X</c>.</summary>
    internal sealed record ProgramModel(string PropertyName, string Name, string SectionName, string ProgramType);

    /// <summary>A map exposed as <c>Maps.X</c>; key and value types are null when BTF does not describe them.</summary>
    internal sealed record MapModel(string PropertyName, string Name, string MapType, string Origin, TypeRef? Key, TypeRef? Value);
}
