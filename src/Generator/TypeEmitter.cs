using BpfSkeleton.Generator.Model;
using static BpfSkeleton.Generator.SkeletonEmitter;

namespace BpfSkeleton.Generator
{
    /// <summary>C types as C# types: explicit-layout structs (bitfields as masked properties), enums, inline arrays.</summary>
    internal static class TypeEmitter
    {
        private const string Interop = "global::System.Runtime.InteropServices.";

        public static void Emit(CodeWriter w, SkeletonModel model, TypeDefinition type)
        {
            w.Line();
            switch (type)
            {
                case StructDefinition s:
                    EmitStruct(w, model, s);
                    break;
                case EnumDefinition e:
                    EmitEnum(w, e);
                    break;
                case InlineArrayDefinition a:
                    w.Summary($"C <c>{CodeWriter.Xml(a.CType)}</c>: {Int(a.Count)} elements inline (converts to a span).");
                    w.Line($"[global::System.Runtime.CompilerServices.InlineArray({Int(a.Count)})]");
                    w.Open("public struct " + a.Name);
                    w.Line($"private {TypeName(model, a.Element)} _element0;");
                    w.Close();
                    break;
            }
        }

        private static void EmitEnum(CodeWriter w, EnumDefinition e)
        {
            w.Summary($"C <c>{CodeWriter.Xml(e.CType)}</c>.");
            w.Open($"public enum {e.Name} : {e.UnderlyingType}");
            foreach (var value in e.Values)
            {
                w.Summary($"C <c>{CodeWriter.Xml(value.CName)}</c> = {value.Literal}.");
                w.Line($"{value.Name} = {value.Literal},");
            }
            w.Close();
        }

        private static void EmitStruct(CodeWriter w, SkeletonModel model, StructDefinition s)
        {
            w.Summary($"C <c>{CodeWriter.Xml(s.CType)}</c> ({Int(s.Size)} bytes), laid out as BTF describes it.");
            w.Line($"[{Interop}StructLayout({Interop}LayoutKind.Explicit, Size = {Int(s.Size)})]");
            w.Open("public partial struct " + s.Name);
            var backing = new System.Collections.Generic.HashSet<string>();
            var first = true;
            foreach (var field in s.Fields)
            {
                if (!first) w.Line();
                first = false;
                if (field.BitSize == 0)
                {
                    w.Summary($"C member <c>{CodeWriter.Xml(field.Type.CType)} {CodeWriter.Xml(field.CName)}</c> at offset {Int(field.Offset)}.");
                    w.Line($"[{Interop}FieldOffset({Int(field.Offset)})] public {TypeName(model, field.Type)} {field.Name};");
                    continue;
                }
                var storage = BackingName(field);
                if (backing.Add(storage))
                {
                    w.Line($"[{Interop}FieldOffset({Int(field.StorageOffset)})] private {StorageType(field.StorageSize)} {storage};");
                    w.Line();
                }
                EmitBitfield(w, model, field, storage);
            }
            w.Close();
        }

        private static string BackingName(FieldModel f) => $"_bits{Int(f.StorageOffset)}x{Int(f.StorageSize)}";

        private static string StorageType(int size) => size switch { 1 => "byte", 2 => "ushort", 4 => "uint", _ => "ulong" };

        private static void EmitBitfield(CodeWriter w, SkeletonModel model, FieldModel f, string storage)
        {
            var type = TypeName(model, f.Type);
            var mask = f.BitSize >= 64 ? ulong.MaxValue : (1UL << f.BitSize) - 1;
            var maskText = $"0x{mask:X}UL";
            var shift = Int(f.BitShift);
            w.Summary($"C bitfield <c>{CodeWriter.Xml(f.Type.CType)} {CodeWriter.Xml(f.CName)} : {Int(f.BitSize)}</c>: bits {shift}..{Int(f.BitShift + f.BitSize - 1)} of the {Int(f.StorageSize)} bytes at offset {Int(f.StorageOffset)}.");
            string read;
            if (type == "bool")
                read = $"((((ulong){storage} >> {shift}) & {maskText}) != 0)";
            else if (f.Type.IsSigned)
            {
                var left = Int(64 - f.BitShift - f.BitSize);
                var right = Int(64 - f.BitSize);
                read = $"unchecked(({type})((long)((ulong){storage} << {left}) >> {right}))";
            }
            else
                read = $"unchecked(({type})(((ulong){storage} >> {shift}) & {maskText}))";
            var bits = type == "bool" ? "(value ? 1UL : 0UL)" : $"unchecked((ulong)value)";
            w.Open($"public {type} {f.Name}");
            w.Line($"readonly get => {read};");
            w.Line($"set => {storage} = unchecked(({StorageType(f.StorageSize)})(((ulong){storage} & ~({maskText} << {shift})) | (({bits} & {maskText}) << {shift})));");
            w.Close();
        }
    }
}
