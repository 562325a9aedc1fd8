using System.Collections.Generic;
using BpfSkeleton.Btf;
using BpfSkeleton.Generator.Model;
using BpfSkeleton.Specs;

namespace BpfSkeleton.Generator
{
    /// <summary>
    /// Builds struct_ops shadows: one top-level shadow per struct_ops struct type (shared by every
    /// map of that type) and one nested shadow per struct type reached by value from it. Every member
    /// is exposed — typed where C# can type it, as exact bytes otherwise (with an info diagnostic).
    /// </summary>
    internal sealed class ShadowBuilder
    {
        private readonly TypeMapper _types;
        private readonly NameScope _typeNames;
        private readonly DiagnosticSink _diagnostics;
        private readonly Dictionary<int, string> _topLevel = new Dictionary<int, string>();
        private readonly Dictionary<int, string> _nested = new Dictionary<int, string>();

        public ShadowBuilder(TypeMapper types, NameScope typeNames, DiagnosticSink diagnostics)
        {
            _diagnostics = diagnostics;
            _types = types;
            _typeNames = typeNames;
        }

        /// <summary>The shadow class name for a struct_ops map's type, built on first use.</summary>
        public string ShadowFor(StructOpsSpec spec)
        {
            if (_topLevel.TryGetValue(spec.TypeId, out var existing)) return existing;
            var cType = "struct " + spec.TypeName;
            var name = _typeNames.Claim(Naming.PascalCase(spec.TypeName) + "Shadow", cType);
            _topLevel.Add(spec.TypeId, name);
            var scope = new NameScope("shadow " + name, _diagnostics, name, "Map");
            var members = new List<ShadowMemberModel>();
            foreach (var member in spec.Members)
                members.Add(TopLevelMember(spec, member, name, scope));
            _types.Definitions.Add(new ShadowDefinition(name, cType, IsTopLevel: true, members.ToEquatableArray()));
            return name;
        }

        private ShadowMemberModel TopLevelMember(StructOpsSpec spec, StructOpsMember member, string shadowName, NameScope scope)
        {
            var cName = member.Name.Length == 0 ? "member " + member.Index : member.Name;
            var wanted = member.Name.Length == 0 ? "Member" + member.Index : Naming.PascalCase(member.Name);
            var propertyName = scope.Claim(wanted, cName);
            var cType = _types.CTypeName(member.TypeId);
            var bytes = TypeMapper.Bytes(member.Size, cType);
            var where = spec.TypeName + "." + cName;
            switch (member.Kind)
            {
                case StructOpsMemberKind.FunctionPointer:
                    return new ShadowMemberModel(propertyName, member.Name, cType, ShadowMemberKind.Program, member.Name, 0, member.Size, bytes);
                case StructOpsMemberKind.OtherPointer:
                    _types.ReportUntyped("struct_ops member", where, cType, "read-only bytes", "a data pointer must stay zero (the kernel fills it)");
                    return new ShadowMemberModel(propertyName, member.Name, cType, ShadowMemberKind.Bytes, member.Name, 0, member.Size, bytes);
            }
            if (member.BitfieldSize != 0 || member.Name.Length == 0)
            {
                _types.ReportUntyped("struct_ops member", where, cType, "read-only bytes",
                    member.BitfieldSize != 0 ? "struct_ops does not support bitfields" : "it has no name");
                return new ShadowMemberModel(propertyName, member.Name, cType, ShadowMemberKind.Bytes, member.Name, 0, member.Size, bytes);
            }
            var mapped = _types.Map(member.TypeId, shadowName + wanted);
            return Classify(propertyName, member.Name, cType, member.Name, 0, mapped, where);
        }

        /// <summary>A nested shadow over a struct held by value inside a struct_ops member.</summary>
        private string NestedShadowFor(int structId)
        {
            if (_nested.TryGetValue(structId, out var existing)) return existing;
            var t = _types.Btf.GetType(structId);
            var cType = _types.CTypeName(structId);
            var name = _typeNames.Claim(Naming.PascalCase(t.HasName ? t.Name : cType) + "Shadow", cType);
            _nested.Add(structId, name);
            var scope = new NameScope("shadow " + name, _diagnostics, name, "Map");
            var members = new List<ShadowMemberModel>();
            CollectNested(t, 0, name, scope, members);
            _types.Definitions.Add(new ShadowDefinition(name, cType, IsTopLevel: false, members.ToEquatableArray()));
            return name;
        }

        private void CollectNested(BtfType t, long baseBits, string shadowName, NameScope scope, List<ShadowMemberModel> members)
        {
            var btf = _types.Btf;
            for (var i = 0; i < t.Vlen; i++)
            {
                var member = t.GetMember(i);
                var bitOffset = baseBits + member.BitOffset;
                if (member.Name.Length == 0)
                {
                    var inner = btf.GetType(btf.SkipModifiersAndTypedefs(member.TypeId));
                    if (member.BitfieldSize == 0 && inner.Kind is BtfKind.Struct or BtfKind.Union)
                        CollectNested(inner, bitOffset, shadowName, scope, members);
                    continue;
                }
                var wanted = Naming.PascalCase(member.Name);
                var propertyName = scope.Claim(wanted, member.Name);
                var cType = _types.CTypeName(member.TypeId);
                var where = shadowName + "." + member.Name;
                if (member.BitfieldSize != 0 || bitOffset % 8 != 0)
                {
                    var first = (int)(bitOffset / 8);
                    var size = (int)((bitOffset + System.Math.Max(1, (int)member.BitfieldSize) + 7) / 8) - first;
                    _types.ReportUntyped("struct_ops member", where, cType, "read-only bytes", "bitfields are not typed in shadows");
                    members.Add(new ShadowMemberModel(propertyName, member.Name, cType, ShadowMemberKind.Bytes, "", first, size, TypeMapper.Bytes(size, cType)));
                    continue;
                }
                var mapped = _types.Map(member.TypeId, shadowName + wanted);
                members.Add(Classify(propertyName, member.Name, cType, "", (int)(bitOffset / 8), mapped, where));
            }
        }

        private ShadowMemberModel Classify(string propertyName, string cName, string cType, string memberName, int offset, TypeRef mapped, string where)
        {
            ShadowMemberModel Make(ShadowMemberKind kind, string? nested = null)
                => new ShadowMemberModel(propertyName, cName, cType, kind, memberName, offset, mapped.Size, mapped, nested);

            switch (mapped.Shape)
            {
                case ValueShape.Scalar when mapped.IsPointer:
                    _types.ReportUntyped("struct_ops member", where, cType, "read-only bytes", "a data pointer must stay zero (the kernel fills it)");
                    return Make(ShadowMemberKind.Bytes);
                case ValueShape.Scalar:
                case ValueShape.Enum:
                    return Make(ShadowMemberKind.Scalar);
                case ValueShape.Array when mapped.IsText:
                    return Make(ShadowMemberKind.Text);
                case ValueShape.Array when !mapped.Element!.IsPointer:
                    return Make(ShadowMemberKind.Array);
                case ValueShape.Struct:
                    var resolved = _types.Btf.GetType(_types.IdOf(mapped));
                    if (resolved.Kind == BtfKind.Struct)
                        return Make(ShadowMemberKind.Nested, NestedShadowFor(resolved.Id));
                    return Make(ShadowMemberKind.Scalar); // a union: the generated explicit-layout struct, read and written whole
                default:
                    _types.ReportUntyped("struct_ops member", where, cType, "read-only bytes", "C# has no equivalent type");
                    return Make(ShadowMemberKind.Bytes);
            }
        }
    }
}
