using System.Collections.Generic;
using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace BpfSkeleton.Runtime.Tests.Layering;

/// <summary>
/// The assembly's own types one type uses, read from metadata: base type, interfaces, generic constraints,
/// attributes, field/method/property/event signatures, locals, and every token in its method bodies.
/// </summary>
internal sealed class TypeCollector(MetadataReader reader) : ISignatureTypeProvider<object?, object?>
{
    private static readonly Dictionary<ushort, OpCode> s_opCodes = OpCodeTable();

    public HashSet<TypeDefinitionHandle> Used { get; } = [];
    private (OpCode OpCode, int Offset) _last;

    public void CollectType(TypeDefinitionHandle handle, PEReader pe)
    {
        var type = reader.GetTypeDefinition(handle);
        AddType(type.BaseType);
        foreach (var i in type.GetInterfaceImplementations()) AddType(reader.GetInterfaceImplementation(i).Interface);
        AddAttributes(type.GetCustomAttributes());
        AddGenericParameters(type.GetGenericParameters());
        foreach (var f in type.GetFields())
        {
            var field = reader.GetFieldDefinition(f);
            field.DecodeSignature(this, null);
            AddAttributes(field.GetCustomAttributes());
        }
        foreach (var p in type.GetProperties())
        {
            var property = reader.GetPropertyDefinition(p);
            property.DecodeSignature(this, null);
            AddAttributes(property.GetCustomAttributes());
        }
        foreach (var e in type.GetEvents())
        {
            var ev = reader.GetEventDefinition(e);
            AddType(ev.Type);
            AddAttributes(ev.GetCustomAttributes());
        }
        foreach (var m in type.GetMethods())
        {
            var method = reader.GetMethodDefinition(m);
            method.DecodeSignature(this, null);
            AddAttributes(method.GetCustomAttributes());
            AddGenericParameters(method.GetGenericParameters());
            foreach (var p in method.GetParameters()) AddAttributes(reader.GetParameter(p).GetCustomAttributes());
            if (method.RelativeVirtualAddress == 0) continue;
            try { AddBody(pe.GetMethodBody(method.RelativeVirtualAddress)); }
            catch (System.BadImageFormatException e) { throw new System.InvalidOperationException($"{reader.GetString(type.Name)}.{reader.GetString(method.Name)}: {e.Message} at {_last.OpCode.Name} (IL offset {_last.Offset})", e); }
        }
    }

    private void AddBody(MethodBodyBlock body)
    {
        if (!body.LocalSignature.IsNil)
            reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(this, null);
        foreach (var region in body.ExceptionRegions)
            if (region.Kind == ExceptionRegionKind.Catch) AddType(region.CatchType);
        var il = body.GetILReader();
        while (il.RemainingBytes > 0)
        {
            ushort value = il.ReadByte();
            if (value == 0xFE) value = (ushort)(0xFE00 | il.ReadByte());
            var opCode = s_opCodes[value];
            _last = (opCode, il.Offset);
            switch (opCode.OperandType)
            {
                case OperandType.InlineField:
                case OperandType.InlineMethod:
                case OperandType.InlineTok:
                case OperandType.InlineType:
                    AddToken(MetadataTokens.EntityHandle(il.ReadInt32()));
                    break;
                case OperandType.InlineSig:
                    reader.GetStandaloneSignature((StandaloneSignatureHandle)MetadataTokens.EntityHandle(il.ReadInt32())).DecodeMethodSignature(this, null);
                    break;
                case OperandType.InlineSwitch:
                    var targets = il.ReadInt32();
                    il.Offset += 4 * targets;
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                    il.Offset += 1;
                    break;
                case OperandType.InlineVar:
                    il.Offset += 2;
                    break;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    il.Offset += 8;
                    break;
                default:
                    il.Offset += 4;
                    break;
            }
        }
    }

    private void AddToken(EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
            case HandleKind.TypeReference:
            case HandleKind.TypeSpecification:
                AddType(handle);
                break;
            case HandleKind.FieldDefinition:
                Used.Add(reader.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType());
                break;
            case HandleKind.MethodDefinition:
                Used.Add(reader.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType());
                break;
            case HandleKind.MemberReference:
                var member = reader.GetMemberReference((MemberReferenceHandle)handle);
                AddType(member.Parent);
                if (member.GetKind() == MemberReferenceKind.Method) member.DecodeMethodSignature(this, null);
                else member.DecodeFieldSignature(this, null);
                break;
            case HandleKind.MethodSpecification:
                var spec = reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                AddToken(spec.Method);
                spec.DecodeSignature(this, null);
                break;
        }
    }

    private void AddType(EntityHandle handle)
    {
        if (handle.IsNil) return;
        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
                Used.Add((TypeDefinitionHandle)handle);
                break;
            case HandleKind.TypeSpecification:
                reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null);
                break;
            case HandleKind.MethodDefinition:
            case HandleKind.MemberReference:
                AddToken(handle);   // an attribute's constructor, a member ref's parent method
                break;
        }
    }

    private void AddAttributes(CustomAttributeHandleCollection attributes)
    {
        foreach (var a in attributes) AddToken(reader.GetCustomAttribute(a).Constructor);
    }

    private void AddGenericParameters(GenericParameterHandleCollection parameters)
    {
        foreach (var p in parameters)
            foreach (var c in reader.GetGenericParameter(p).GetConstraints())
                AddType(reader.GetGenericParameterConstraint(c).Type);
    }

    private static Dictionary<ushort, OpCode> OpCodeTable()
    {
        var table = new Dictionary<ushort, OpCode>();
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
            if (field.GetValue(null) is OpCode op) table[(ushort)op.Value] = op;
        return table;
    }

    // ---- ISignatureTypeProvider: records definitions, the rest is structure ----

    public object? GetTypeFromDefinition(MetadataReader r, TypeDefinitionHandle handle, byte rawTypeKind) { Used.Add(handle); return null; }
    public object? GetTypeFromReference(MetadataReader r, TypeReferenceHandle handle, byte rawTypeKind) => null;
    public object? GetTypeFromSpecification(MetadataReader r, object? context, TypeSpecificationHandle handle, byte rawTypeKind)
        => r.GetTypeSpecification(handle).DecodeSignature(this, context);
    public object? GetPrimitiveType(PrimitiveTypeCode typeCode) => null;
    public object? GetSZArrayType(object? elementType) => null;
    public object? GetArrayType(object? elementType, ArrayShape shape) => null;
    public object? GetByReferenceType(object? elementType) => null;
    public object? GetPointerType(object? elementType) => null;
    public object? GetPinnedType(object? elementType) => null;
    public object? GetGenericInstantiation(object? genericType, ImmutableArray<object?> typeArguments) => null;
    public object? GetGenericMethodParameter(object? genericContext, int index) => null;
    public object? GetGenericTypeParameter(object? genericContext, int index) => null;
    public object? GetFunctionPointerType(MethodSignature<object?> signature) => null;
    public object? GetModifiedType(object? modifier, object? unmodifiedType, bool isRequired) => null;
}
