using BpfSkeleton.Generator.Model;
using static BpfSkeleton.Generator.SkeletonEmitter;

namespace BpfSkeleton.Generator
{
    /// <summary>
    /// struct_ops shadows: typed properties over <c>BpfStructOpsMap</c>. Reads work at any time;
    /// writes go to the local struct and are allowed before Load() only (the runtime checks).
    /// </summary>
    internal static class ShadowEmitter
    {
        private const string Member = Runtime + "Specs.StructOpsMember";

        public static void Emit(CodeWriter w, SkeletonModel model, ShadowDefinition shadow)
        {
            w.Line();
            var cType = CodeWriter.Xml(shadow.CType);
            if (shadow.IsTopLevel)
            {
                w.Summary($"Shadow of a struct_ops map of C <c>{cType}</c>: its data members and program slots, editable before Load().");
                w.Open("public sealed class " + shadow.Name);
                foreach (var member in shadow.Members)
                    w.Line($"private readonly {Member} {Field(member)};");
                w.Line();
                w.Open($"internal {shadow.Name}({Runtime}BpfStructOpsMap map)");
                w.Line("Map = map;");
                foreach (var member in shadow.Members)
                    w.Line($"{Field(member)} = map.Member({CodeWriter.Literal(member.MemberName)});");
                w.Close();
            }
            else
            {
                w.Summary($"Shadow of a C <c>{cType}</c> held by value inside a struct_ops member.");
                w.Open("public sealed class " + shadow.Name);
                w.Line($"private readonly {Member} _member;");
                w.Line("private readonly int _offset;");
                w.Line();
                w.Open($"internal {shadow.Name}({Runtime}BpfStructOpsMap map, {Member} member, int offset)");
                w.Line("Map = map;");
                w.Line("_member = member;");
                w.Line("_offset = offset;");
                w.Close();
            }
            w.Line();
            w.Summary("The struct_ops map this shadow edits.");
            w.Line($"public {Runtime}BpfStructOpsMap Map {{ get; }}");
            foreach (var member in shadow.Members)
                EmitMember(w, model, shadow, member);
            w.Close();
        }

        private static string Field(ShadowMemberModel member) => "_" + char.ToLowerInvariant(member.Name[0]) + member.Name.Substring(1) + "Member";

        private static void EmitMember(CodeWriter w, SkeletonModel model, ShadowDefinition shadow, ShadowMemberModel m)
        {
            var member = shadow.IsTopLevel ? Field(m) : "_member";
            var offset = shadow.IsTopLevel ? Int(m.Offset) : "_offset + " + Int(m.Offset);
            var size = Int(m.Size);
            var doc = $"C <c>{CodeWriter.Xml(shadow.CType)}</c> member <c>{CodeWriter.Xml(m.CType)} {CodeWriter.Xml(m.CName)}</c>";
            var where = shadow.IsTopLevel ? "" : $" at offset {Int(m.Offset)}";
            var bytes = shadow.IsTopLevel ? $"Map.ReadMember({member})" : $"Map.ReadMember({member}).Slice({offset}, {size})";
            var writableBytes = shadow.IsTopLevel ? $"Map.WriteMember({member})" : $"Map.WriteMember({member}).Slice({offset}, {size})";
            w.Line();
            switch (m.Kind)
            {
                case ShadowMemberKind.Program:
                    w.Summary($"{doc}: the struct_ops program it points to (null for none). Set before Load().");
                    w.Open($"public {Runtime}BpfProgram? {m.Name}");
                    w.Line($"get => Map.GetProgram({member});");
                    w.Line($"set => Map.SetProgram({member}, value);");
                    w.Close();
                    break;
                case ShadowMemberKind.Scalar:
                    var type = TypeName(model, m.Type);
                    w.Summary($"{doc}{where}. Set before Load().");
                    w.Open($"public {type} {m.Name}");
                    w.Line($"get => Map.Read<{type}>({member}, {offset});");
                    w.Line($"set => Map.Write<{type}>({member}, value, {offset});");
                    w.Close();
                    break;
                case ShadowMemberKind.Text:
                    w.Summary($"{doc}{where}: a NUL-terminated UTF-8 string of at most {Int(m.Size - 1)} bytes. Set before Load().");
                    w.Open($"public string {m.Name}");
                    w.Line($"get => {Runtime}SkeletonText.Read({bytes});");
                    w.Line($"set => {Runtime}SkeletonText.Write({writableBytes}, value, {CodeWriter.Literal(m.CName)});");
                    w.Close();
                    break;
                case ShadowMemberKind.Array:
                    var element = TypeName(model, m.Type.Element!);
                    w.Summary($"{doc}{where}: {Int(m.Type.Count)} elements, editable before Load().");
                    w.Line($"public global::System.Span<{element}> {m.Name} => {Marshal}.Cast<byte, {element}>({writableBytes});");
                    break;
                case ShadowMemberKind.Nested:
                    var nestedMember = shadow.IsTopLevel ? Field(m) : "_member";
                    w.Summary($"{doc}{where}, as a nested shadow.");
                    w.Line($"public global::{model.FullName}.{m.NestedShadow} {m.Name} => new global::{model.FullName}.{m.NestedShadow}(Map, {nestedMember}, {offset});");
                    break;
                default:
                    w.Summary($"{doc}{where}, kept byte-exact ({size} bytes; C# does not type it).");
                    w.Line($"public global::System.ReadOnlySpan<byte> {m.Name} => {bytes};");
                    break;
            }
        }
    }
}
