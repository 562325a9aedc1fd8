using System.Collections.Generic;
using BpfSkeleton.Btf;
using BpfSkeleton.Specs;

namespace BpfSkeleton
{
    /// <summary>
    /// Applies CO-RE relocations: each record's local type and access path is matched against the
    /// target kernel's types (same essential name and kind, fields found by name), and the
    /// instruction's offset or immediate is rewritten to the target's value. An unresolvable
    /// relocation poisons its instruction as libbpf does, so a guarded dead branch still verifies
    /// and a reached one fails with an error that names the relocation.
    /// </summary>
    internal static class CoreRelocator
    {
        /// <summary>libbpf's poison: a call to helper 0xbad2310 the verifier reports as "invalid func unknown#195896080".</summary>
        public const int PoisonHelper = 0xbad2310;

        public static void Apply(BpfObject owner, LinkedProgram linked, BtfSpec target)
        {
            var local = owner.Spec.Btf!;
            foreach (var record in linked.CoreRelocations)
            {
                var where = $"{owner.Spec.FileName}: program '{linked.Entry.Name}' CO-RE relocation at instruction {record.InstructionIndex} ({record.Kind} of {Describe(local, record)})";
                var result = Resolve(local, target, record, where);
                if (result is null)
                {
                    Poison(linked, record.InstructionIndex);
                    linked.PoisonedRelocations[record.InstructionIndex] = where.Substring(where.IndexOf("CO-RE", System.StringComparison.Ordinal));
                    continue;
                }
                Patch(linked, record, result.Value, where);
            }
        }

        internal static string Describe(BtfSpec local, CoreRelocationRecord record)
            => $"{local.GetTypeName(record.TypeId)}, access {record.AccessString}";

        private readonly struct Value
        {
            public Value(long number, int fieldSize = 0)
            {
                Number = number;
                FieldSize = fieldSize;
            }

            public long Number { get; }
            /// <summary>The target field's memory size, to adjust load/store widths; 0 when not a field offset.</summary>
            public int FieldSize { get; }
        }

        private static Value? Resolve(BtfSpec local, BtfSpec target, CoreRelocationRecord record, string where)
        {
            if (record.Kind == BtfCoreReloKind.TypeIdLocal) return new Value(record.TypeId);

            var localType = local.GetType(record.TypeId);
            var name = CoreCompat.EssentialName(localType.Name);
            if (name.Length == 0)
                throw new BpfLoadException($"{where}: the local type is anonymous; CO-RE needs a named type");
            var indices = CoreAccessPath.ParseIndices(record.AccessString, where);
            CoreAccessPath? localPath = IsFieldKind(record.Kind) ? CoreAccessPath.ResolveLocal(local, record.TypeId, indices, where) : null;

            Value? agreed = null;
            var matched = false;
            foreach (var candidate in CoreCandidates.Find(target, name, localType.Kind))
            {
                var value = Evaluate(local, target, record, localPath, indices, candidate);
                if (value is null) continue;
                if (matched && agreed!.Value.Number != value.Value.Number)
                    throw new BpfLoadException($"{where}: kernel types '{name}' give conflicting values ({agreed.Value.Number} and {value.Value.Number})");
                agreed = value;
                matched = true;
            }
            if (matched) return agreed;
            return record.Kind is BtfCoreReloKind.FieldExists or BtfCoreReloKind.TypeExists or BtfCoreReloKind.TypeMatches or BtfCoreReloKind.EnumValueExists
                ? new Value(0)
                : (Value?)null;
        }

        private static Value? Evaluate(BtfSpec local, BtfSpec target, CoreRelocationRecord record, CoreAccessPath? localPath, int[] indices, int candidate)
        {
            switch (record.Kind)
            {
                case BtfCoreReloKind.TypeIdTarget:
                    return CoreCompat.TypesCompatible(local, record.TypeId, target, candidate) ? new Value(candidate) : null;
                case BtfCoreReloKind.TypeExists:
                case BtfCoreReloKind.TypeMatches:
                    return CoreCompat.TypesCompatible(local, record.TypeId, target, candidate) ? new Value(1) : null;
                case BtfCoreReloKind.TypeSize:
                    return CoreCompat.TypesCompatible(local, record.TypeId, target, candidate) ? new Value(target.ResolveSize(candidate)) : null;
                case BtfCoreReloKind.EnumValueExists:
                case BtfCoreReloKind.EnumValue:
                {
                    var localEnum = local.GetType(local.SkipModifiersAndTypedefs(record.TypeId));
                    if (indices[0] >= localEnum.Vlen) return null;
                    var enumerator = localEnum.GetEnumValue(indices[0]).Name;
                    var targetEnum = target.GetType(target.SkipModifiersAndTypedefs(candidate));
                    for (var i = 0; i < targetEnum.Vlen; i++)
                    {
                        var value = targetEnum.GetEnumValue(i);
                        if (value.Name == enumerator)
                            return new Value(record.Kind == BtfCoreReloKind.EnumValue ? value.Value : 1);
                    }
                    return null;
                }
                default:
                {
                    var path = CoreAccessPath.MatchTarget(local, localPath!, target, candidate);
                    if (path is null) return null;
                    return FieldValue(target, record.Kind, path);
                }
            }
        }

        /// <summary>libbpf's field arithmetic, including the smallest load that covers a bitfield.</summary>
        private static Value? FieldValue(BtfSpec target, BtfCoreReloKind kind, CoreAccessPath path)
        {
            if (kind == BtfCoreReloKind.FieldExists) return new Value(1);
            var fieldType = target.GetType(target.SkipModifiersAndTypedefs(path.FieldTypeId));
            var bitOffset = path.BitOffset;
            var bitSize = (long)path.BitfieldSize;
            long byteSize = target.ResolveSize(path.FieldTypeId);
            long byteOffset;
            if (bitSize == 0)
            {
                byteOffset = bitOffset / 8;
                bitSize = byteSize * 8;
            }
            else
            {
                byteOffset = bitOffset / 8 / byteSize * byteSize;
                while (bitOffset + bitSize - byteOffset * 8 > byteSize * 8)
                {
                    if (byteSize >= 8) return null;
                    byteSize *= 2;
                    byteOffset = bitOffset / 8 / byteSize * byteSize;
                }
            }
            return kind switch
            {
                BtfCoreReloKind.FieldByteOffset => new Value(byteOffset, path.BitfieldSize == 0 ? (int)byteSize : 0),
                BtfCoreReloKind.FieldByteSize => new Value(byteSize),
                BtfCoreReloKind.FieldSigned => new Value(
                    (fieldType.Kind == BtfKind.Int && fieldType.Int.IsSigned) ||
                    (fieldType.Kind is BtfKind.Enum or BtfKind.Enum64 && fieldType.KindFlag) ? 1 : 0),
                BtfCoreReloKind.FieldLShiftU64 => new Value(64 - (bitOffset + bitSize - byteOffset * 8)),
                BtfCoreReloKind.FieldRShiftU64 => new Value(64 - bitSize),
                _ => null,
            };
        }

        private static bool IsFieldKind(BtfCoreReloKind kind) => kind <= BtfCoreReloKind.FieldRShiftU64;

        private static void Patch(LinkedProgram linked, CoreRelocationRecord record, Value value, string where)
        {
            var at = record.InstructionIndex;
            var instruction = linked.Instructions[at];
            var @class = instruction.Opcode & BpfOpcodes.ClassMask;
            switch (@class)
            {
                case BpfOpcodes.ClassAlu:
                case BpfOpcodes.ClassAlu64:
                    if ((instruction.Opcode & 0x08) != 0)
                        throw new BpfLoadException($"{where}: the instruction is a register ALU operation, which has no immediate to patch");
                    instruction.Immediate = checked((int)value.Number);
                    break;
                case BpfOpcodes.ClassLdx:
                case BpfOpcodes.ClassSt:
                case BpfOpcodes.ClassStx:
                    if (record.Kind != BtfCoreReloKind.FieldByteOffset)
                        throw new BpfLoadException($"{where}: only field byte offsets can patch a memory access");
                    if (value.Number > short.MaxValue)
                        throw new BpfLoadException($"{where}: offset {value.Number} does not fit a memory access");
                    instruction.Offset = (short)value.Number;
                    if (value.FieldSize is 1 or 2 or 4 or 8) instruction.Opcode = WithAccessSize(instruction.Opcode, value.FieldSize);
                    break;
                case BpfOpcodes.ClassLd when instruction.IsLoadImmediate64:
                    instruction.Immediate = unchecked((int)value.Number);
                    var next = linked.Instructions[at + 1];
                    next.Immediate = unchecked((int)(value.Number >> 32));
                    linked.Instructions[at + 1] = next;
                    break;
                default:
                    throw new BpfLoadException($"{where}: cannot patch instruction opcode 0x{instruction.Opcode:x2}");
            }
            linked.Instructions[at] = instruction;
        }

        // BPF_SIZE bits: W=0x00, H=0x08, B=0x10, DW=0x18.
        private static byte WithAccessSize(byte opcode, int size)
        {
            var sizeBits = size switch { 4 => 0x00, 2 => 0x08, 1 => 0x10, _ => 0x18 };
            return (byte)((opcode & ~0x18) | sizeBits);
        }

        private static void Poison(LinkedProgram linked, int at)
        {
            var instruction = linked.Instructions[at];
            var wasLoad64 = instruction.IsLoadImmediate64;
            linked.Instructions[at] = new BpfInstruction(BpfOpcodes.Call, 0, 0, 0, PoisonHelper);
            if (wasLoad64 && at + 1 < linked.Instructions.Count)
                linked.Instructions[at + 1] = new BpfInstruction(BpfOpcodes.Jump, 0, 0, 0, 0);
        }
    }
}
