using System;
using System.Collections.Generic;
using System.Globalization;
using BpfSkeleton.Btf;
using BpfSkeleton.Generator.Model;

namespace BpfSkeleton.Generator
{
    /// <summary>
    /// Maps BTF types to C# representations and collects the C# types a skeleton declares:
    /// explicit-layout structs for structs and unions, enums, inline arrays. Sizes and offsets
    /// always come from BTF. Named C types keep their name; anonymous ones are named after the
    /// path that first reaches them (e.g. <c>PointsValue</c>, <c>ConfigLimits</c>), which only
    /// changes when the C declarations change.
    /// </summary>
    internal sealed class TypeMapper
    {
        /// <summary>Bounds generated code for objects whose maps reach huge kernel type graphs.</summary>
        public const int MaxTypes = 500;

        private readonly BtfSpec _btf;
        private readonly NameScope _typeNames;
        private readonly DiagnosticSink _diagnostics;
        private readonly bool _littleEndian;
        private readonly Dictionary<int, TypeRef> _composites = new Dictionary<int, TypeRef>();
        private readonly Dictionary<string, int> _idsByName = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly Dictionary<string, TypeRef> _inlineArrays = new Dictionary<string, TypeRef>(StringComparer.Ordinal);
        private readonly HashSet<int> _inProgress = new HashSet<int>();
        private readonly List<TypeDefinition> _definitions = new List<TypeDefinition>();
        private bool _limitReported;

        public TypeMapper(BtfSpec btf, NameScope typeNames, DiagnosticSink diagnostics, bool littleEndian)
        {
            _btf = btf;
            _typeNames = typeNames;
            _diagnostics = diagnostics;
            _littleEndian = littleEndian;
        }

        public BtfSpec Btf => _btf;

        public List<TypeDefinition> Definitions => _definitions;

        /// <summary>The C# representation of BTF type <paramref name="typeId"/>; <paramref name="pathName"/> names it if it is anonymous.</summary>
        public TypeRef Map(int typeId, string pathName)
        {
            string? typedefName = null;
            var id = typeId;
            for (var depth = 0; depth < 64; depth++)
            {
                var step = _btf.GetType(id);
                if (step.Kind == BtfKind.Typedef)
                    typedefName ??= step.Name;
                else if (step.Kind is not (BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.TypeTag))
                    break;
                id = step.TypeId;
            }

            var t = _btf.GetType(id);
            // A size no type can have (the kernel refuses such BTF) would become a negative C# length.
            if (t.Kind is BtfKind.Int or BtfKind.Float or BtfKind.Struct or BtfKind.Union or BtfKind.Enum or BtfKind.Enum64
                && t.Size > int.MaxValue)
                throw new BpfFormatException(_btf.FileName, ".BTF", 0, $"type {id} ({t.Kind}) claims {t.Size} bytes, which no BPF type can hold");
            var cType = CTypeName(typeId);
            switch (t.Kind)
            {
                case BtfKind.Int:
                    return MapInt(t, cType);
                case BtfKind.Float:
                    return t.Size switch
                    {
                        2 => new TypeRef("global::System.Half", ValueShape.Scalar, 2, cType),
                        4 => new TypeRef("float", ValueShape.Scalar, 4, cType),
                        8 => new TypeRef("double", ValueShape.Scalar, 8, cType),
                        _ => Bytes((int)t.Size, cType),
                    };
                case BtfKind.Pointer:
                    return new TypeRef("ulong", ValueShape.Scalar, 8, cType) { IsPointer = true };
                case BtfKind.Enum:
                case BtfKind.Enum64:
                    return MapEnum(t, WantedName(t, typedefName, pathName));
                case BtfKind.Struct:
                case BtfKind.Union:
                    return MapComposite(t, WantedName(t, typedefName, pathName));
                case BtfKind.Array:
                    return MapArray(t, cType, pathName);
                default:
                    return Bytes(SizeOrZero(typeId), cType);
            }
        }

        /// <summary>The generated inline-array struct for an array field (created on first use).</summary>
        public TypeRef InlineArrayFor(TypeRef array)
        {
            var element = array.Element!;
            var name = ElementIdentifier(element) + "Array" + array.Count.ToString(CultureInfo.InvariantCulture);
            if (_inlineArrays.TryGetValue(name, out var existing)) return existing;
            var claimed = _typeNames.Claim(name, array.CType);
            var result = array with { CSharpName = claimed };
            _inlineArrays.Add(name, result);
            _definitions.Add(new InlineArrayDefinition(claimed, array.CType, element, array.Count));
            return result;
        }

        /// <summary>The BTF id of a generated struct or union.</summary>
        public int IdOf(TypeRef composite) => _idsByName.TryGetValue(composite.CSharpName, out var id) ? id : 0;

        public string CTypeName(int typeId)
        {
            try { return _btf.GetTypeName(typeId); }
            catch (BpfFormatException) { return "type " + typeId.ToString(CultureInfo.InvariantCulture); }
        }

        public int SizeOrZero(int typeId)
        {
            try { return (int)Math.Min(_btf.ResolveSize(typeId), int.MaxValue); }
            catch (BpfFormatException) { return 0; }
        }

        public static TypeRef Bytes(int size, string cType) => new TypeRef("byte", ValueShape.Bytes, size, cType);

        private static string WantedName(BtfType t, string? typedefName, string pathName)
            => t.HasName ? Naming.PascalCase(t.Name) : typedefName is not null ? Naming.PascalCase(typedefName) : pathName;

        private static TypeRef MapInt(BtfType t, string cType)
        {
            var encoding = t.Int;
            var signed = encoding.IsSigned;
            if (encoding.IsBool && t.Size == 1)
                return new TypeRef("bool", ValueShape.Scalar, 1, cType);
            // An INT narrower than its storage (rare outside bitfields) is read as its storage.
            var name = t.Size switch
            {
                1 => signed ? "sbyte" : "byte",
                2 => signed ? "short" : "ushort",
                4 => signed ? "int" : "uint",
                8 => signed ? "long" : "ulong",
                16 => signed ? "global::System.Int128" : "global::System.UInt128",
                _ => null,
            };
            if (name is null) return Bytes((int)t.Size, cType);
            var isChar = t.Size == 1 && (encoding.IsChar || t.Name == "char");
            return new TypeRef(name, ValueShape.Scalar, (int)t.Size, cType) { IsSigned = signed, IsText = isChar };
        }

        private TypeRef MapEnum(BtfType t, string wanted)
        {
            if (_composites.TryGetValue(t.Id, out var known)) return known;
            var cType = CTypeName(t.Id);
            var signed = t.IsSigned;
            var underlying = t.Size switch
            {
                1 => signed ? "sbyte" : "byte",
                2 => signed ? "short" : "ushort",
                4 => signed ? "int" : "uint",
                8 => signed ? "long" : "ulong",
                _ => null,
            };
            if (underlying is null) return Bytes((int)t.Size, cType);
            if (!HasRoom()) return Bytes((int)t.Size, cType);

            var name = _typeNames.Claim(wanted, cType);
            var result = new TypeRef(name, ValueShape.Enum, (int)t.Size, cType) { IsSigned = signed };
            _composites.Add(t.Id, result);
            var scope = new NameScope("enum " + name, _diagnostics);
            var values = new List<EnumValueModel>(t.Vlen);
            for (var i = 0; i < t.Vlen; i++)
            {
                var value = t.GetEnumValue(i);
                values.Add(new EnumValueModel(scope.Claim(Naming.PascalCase(value.Name), value.Name), value.Name,
                    EnumLiteral(value, (int)t.Size, signed)));
            }
            _definitions.Add(new EnumDefinition(name, cType, underlying, values.ToEquatableArray()));
            return result;
        }

        /// <summary>The enumerator truncated to the enum's size, as the underlying type reads it.</summary>
        private static string EnumLiteral(BtfEnumValue value, int size, bool signed)
        {
            var bits = size * 8;
            var raw = value.UnsignedValue;
            if (bits < 64) raw &= (1UL << bits) - 1;
            if (!signed) return raw.ToString(CultureInfo.InvariantCulture);
            var shift = 64 - bits;
            var extended = unchecked((long)(raw << shift)) >> shift;
            return extended == long.MinValue ? "long.MinValue" : extended.ToString(CultureInfo.InvariantCulture);
        }

        private TypeRef MapArray(BtfType t, string cType, string pathName)
        {
            long count = 1;
            var elementId = t.Id;
            for (var depth = 0; depth < 64; depth++)
            {
                var step = _btf.GetType(_btf.SkipModifiersAndTypedefs(elementId));
                if (step.Kind != BtfKind.Array) break;
                count *= step.Array.Count;
                if (count > int.MaxValue) return Bytes(SizeOrZero(t.Id), cType);
                elementId = step.Array.ElementTypeId;
            }
            var element = Map(elementId, pathName + "Item");
            var size = SizeOrZero(t.Id);
            if (element.Shape is ValueShape.Bytes or ValueShape.Array || element.Size * count != size)
                return Bytes(size, cType);
            return new TypeRef("", ValueShape.Array, size, cType, element, (int)count) { IsText = element.IsText };
        }

        private TypeRef MapComposite(BtfType t, string wanted)
        {
            if (_composites.TryGetValue(t.Id, out var known)) return known;
            var cType = CTypeName(t.Id);
            var size = (int)t.Size;
            if (size == 0 || _inProgress.Contains(t.Id) || !HasRoom()) return Bytes(size, cType);

            var name = _typeNames.Claim(wanted, cType);
            var result = new TypeRef(name, ValueShape.Struct, size, cType);
            _composites.Add(t.Id, result);
            _idsByName.Add(name, t.Id);
            _inProgress.Add(t.Id);
            var fields = new List<FieldModel>();
            CollectFields(t, 0, size, name, new NameScope("struct " + name, _diagnostics, name), fields);
            _inProgress.Remove(t.Id);
            _definitions.Add(new StructDefinition(name, cType, t.Kind == BtfKind.Union, size, fields.ToEquatableArray()));
            return result;
        }

        /// <summary>Adds a struct's members; anonymous struct/union members are flattened into the parent, as C accesses them.</summary>
        private void CollectFields(BtfType t, long baseBits, int structSize, string ownerName, NameScope scope, List<FieldModel> fields)
        {
            for (var i = 0; i < t.Vlen; i++)
            {
                var member = t.GetMember(i);
                var bitOffset = baseBits + member.BitOffset;
                var cName = member.Name;
                if (cName.Length == 0)
                {
                    var inner = _btf.GetType(_btf.SkipModifiersAndTypedefs(member.TypeId));
                    if (member.BitfieldSize == 0 && inner.Kind is BtfKind.Struct or BtfKind.Union)
                        CollectFields(inner, bitOffset, structSize, ownerName, scope, fields);
                    continue; // unnamed bitfields are padding
                }
                var mapped = Map(member.TypeId, ownerName + Naming.PascalCase(cName));
                if (member.BitfieldSize != 0)
                {
                    AddBitfield(fields, scope, ownerName, cName, mapped, bitOffset, member.BitfieldSize, structSize);
                    continue;
                }
                if (bitOffset % 8 != 0 || mapped.Size == 0 || bitOffset / 8 + mapped.Size > structSize)
                {
                    if (mapped.Size != 0)
                        ReportUntyped("struct member", ownerName + "." + cName, mapped.CType, "padding bytes", "it is not byte-aligned inside its struct");
                    continue;
                }
                if (mapped.Shape == ValueShape.Bytes)
                {
                    ReportUntyped("struct member", ownerName + "." + cName, mapped.CType, "a byte array", "C# has no equivalent type");
                    mapped = InlineArrayFor(new TypeRef("", ValueShape.Array, mapped.Size, mapped.CType,
                        new TypeRef("byte", ValueShape.Scalar, 1, "unsigned char"), mapped.Size));
                }
                else if (mapped.Shape == ValueShape.Array)
                    mapped = InlineArrayFor(mapped);
                fields.Add(new FieldModel(scope.Claim(Naming.PascalCase(cName), cName), cName, (int)(bitOffset / 8), mapped));
            }
        }

        /// <summary>
        /// A bitfield is read through the smallest integer (1, 2, 4 or 8 bytes) that covers its bits
        /// and fits inside the struct; shifts assume little-endian bit numbering.
        /// </summary>
        private void AddBitfield(List<FieldModel> fields, NameScope scope, string ownerName, string cName, TypeRef mapped,
            long bitOffset, int bits, int structSize)
        {
            var firstByte = (int)(bitOffset / 8);
            var lastByte = (int)((bitOffset + bits - 1) / 8);
            var span = lastByte - firstByte + 1;
            var width = span <= 1 ? 1 : span <= 2 ? 2 : span <= 4 ? 4 : span <= 8 ? 8 : 0;
            var start = firstByte;
            if (width != 0 && start + width > structSize) start = structSize - width;
            var typeable = width != 0 && start >= 0 && start + width > lastByte && _littleEndian
                           && (mapped.Shape == ValueShape.Enum || (mapped.Shape == ValueShape.Scalar && !mapped.IsPointer
                               && mapped.CSharpName is not ("float" or "double" or "global::System.Half" or "global::System.Int128" or "global::System.UInt128")));
            if (!typeable)
            {
                ReportUntyped("bitfield", ownerName + "." + cName, mapped.CType, "the struct's raw bytes",
                    _littleEndian ? "no integer of at most 8 bytes covers it" : "bitfields are typed for little-endian objects only");
                return;
            }
            fields.Add(new FieldModel(scope.Claim(Naming.PascalCase(cName), cName), cName, firstByte, mapped,
                bits, (int)(bitOffset - start * 8L), start, width));
        }

        public void ReportUntyped(string what, string name, string cType, string representation, string reason)
            => _diagnostics.Report(DiagnosticDescriptors.UntypedMember.Id, what, name, cType, representation, reason);

        private bool HasRoom()
        {
            if (_composites.Count < MaxTypes) return true;
            if (!_limitReported)
                _diagnostics.Report(DiagnosticDescriptors.TypeLimit.Id, MaxTypes.ToString(CultureInfo.InvariantCulture));
            _limitReported = true;
            return false;
        }

        private static string ElementIdentifier(TypeRef element) => element.CSharpName switch
        {
            "bool" => "Boolean",
            "byte" => "Byte",
            "sbyte" => "SByte",
            "short" => "Int16",
            "ushort" => "UInt16",
            "int" => "Int32",
            "uint" => "UInt32",
            "long" => "Int64",
            "ulong" => "UInt64",
            "float" => "Single",
            "double" => "Double",
            "global::System.Half" => "Half",
            "global::System.Int128" => "Int128",
            "global::System.UInt128" => "UInt128",
            var name => name,
        };
    }
}
