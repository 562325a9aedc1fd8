using BpfSkeleton.Generator.Model;
using static BpfSkeleton.Generator.SkeletonEmitter;

namespace BpfSkeleton.Generator
{
    /// <summary>
    /// A global data section's typed view: scalars, enums and structs as get/set properties over
    /// <c>BpfGlobalData.Read/Write</c>, arrays and untypeable variables as spans over the section's bytes.
    /// </summary>
    internal static class DataViewEmitter
    {
        public static void Emit(CodeWriter w, SkeletonModel model, DataSectionModel section)
        {
            var name = CodeWriter.Xml(section.SectionName);
            w.Line();
            var backing = section.IsArena ? Runtime + "BpfArenaGlobals" : Runtime + "BpfGlobalData";
            w.Summary(section.IsArena
                ? $"The <c>__arena</c> globals ({Int(section.Size)} bytes), in the arena map's memory after Load(). Offsets come from the object's BTF."
                : $"The <c>{name}</c> section ({Int(section.Size)} bytes{(section.IsReadOnly ? ", read-only after Load()" : "")}). Offsets come from the object's BTF.");
            w.Open("public sealed class " + section.ViewName);
            w.Line($"internal {section.ViewName}({backing} section) => Section = section;");
            w.Line();
            w.Summary($"The untyped section: its bytes, its map and its variables by name.");
            w.Line($"public {backing} Section {{ get; }}");
            foreach (var variable in section.Variables)
                EmitVariable(w, model, section, variable);
            w.Close();
        }

        private static void EmitVariable(CodeWriter w, SkeletonModel model, DataSectionModel section, VariableModel variable)
        {
            var type = variable.Type;
            var offset = Int(variable.Offset);
            var size = Int(variable.Size);
            var doc = $"C <c>{CodeWriter.Xml(type.CType)} {CodeWriter.Xml(variable.CName)}</c> at offset {offset} ({size} bytes)";
            var writable = section.IsReadOnly ? " Writable before Load() only." : "";
            w.Line();
            switch (type.Shape)
            {
                case ValueShape.Scalar:
                case ValueShape.Enum:
                case ValueShape.Struct:
                    var csharp = TypeName(model, type);
                    w.Summary(doc + "." + writable);
                    w.Open($"public {csharp} {variable.Name}");
                    w.Line($"get => Section.Read<{csharp}>({offset});");
                    w.Line($"set => Section.Write<{csharp}>({offset}, value);");
                    w.Close();
                    break;
                case ValueShape.Array:
                    var element = type.IsText ? "byte" : TypeName(model, type.Element!);
                    w.Summary($"{doc}: {Int(type.Count)} elements{(type.IsText ? " (C chars as bytes)" : "")}. Writable span; after Load() read-only sections throw.");
                    var slice = $"Section.GetWritableBytes().Slice({offset}, {size})";
                    w.Line($"public global::System.Span<{element}> {variable.Name} => {(element == "byte" ? slice : $"{Marshal}.Cast<byte, {element}>({slice})")};");
                    break;
                default:
                    w.Summary($"{doc}, as raw bytes (C# has no equivalent type). Writable span; after Load() read-only sections throw.");
                    w.Line($"public global::System.Span<byte> {variable.Name} => Section.GetWritableBytes().Slice({offset}, {size});");
                    break;
            }
        }
    }
}
