namespace BpfSkeleton.Generator.Model
{
    /// <summary>A diagnostic as plain values (descriptor id, file, message arguments), turned into a Roslyn Diagnostic when reported.</summary>
    internal sealed record DiagnosticInfo(string Id, string FilePath, EquatableArray<string> Arguments);

    /// <summary>The parse step's result: a model (null when nothing can be generated) and its diagnostics.</summary>
    internal sealed record ParseResult(SkeletonModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);

    /// <summary>An <c>.bpfobj.txt</c> additional file with its metadata, read into values.</summary>
    internal sealed record SkeletonInput(string TextPath, string SourcePath, string Content, string? ClassName, string Namespace,
        string Visibility);

    /// <summary>A light skeleton's loader (base64 of the runtime's loader image) for the object at <paramref name="SourcePath"/>.</summary>
    internal sealed record LoaderInput(string TextPath, string SourcePath, string Content);

    /// <summary>A skeleton's full name and where it comes from, to detect two skeletons with one name.</summary>
    internal sealed record SkeletonName(string FullName, string SourcePath);
}
