using System;
using BpfSkeleton.Btf;
using BpfSkeleton.Interop;
using BpfSkeleton.Specs;

namespace BpfSkeleton.Links
{
    /// <summary>
    /// Where the fields of usdt.bpf.h's struct __bpf_usdt_spec (the value of __bpf_usdt_specs) and of its
    /// args[] elements (struct __bpf_usdt_arg_spec) sit, taken from the object's own BTF: libbpf 1.7 turned
    /// arg_type into bitfields next to new index/scale fields, which moved reg_off, so one fixed layout
    /// cannot serve every usdt.bpf.h. Without BTF the layout of libbpf 0.8–1.6 is assumed.
    /// </summary>
    internal sealed class UsdtSpecLayout
    {
        private readonly record struct Field(uint BitOffset, int BitSize);

        private Field _valueOffset, _kind, _registerOffset, _signed, _bitShift, _cookie, _count;
        private Field? _indexRegisterOffset, _scaleShift;

        private UsdtSpecLayout()
        {
        }

        /// <summary>Bytes of one spec (the map's value size).</summary>
        public int Size { get; private set; }

        public int ArgumentsOffset { get; private set; }

        public int ArgumentStride { get; private set; }

        /// <summary>args[] length (BPF_USDT_MAX_ARG_CNT).</summary>
        public int MaxArguments { get; private set; }

        /// <summary>Whether this usdt.bpf.h reads base + index × scale arguments (libbpf 1.7+).</summary>
        public bool SupportsScaledIndex => _indexRegisterOffset is not null && _scaleShift is not null;

        /// <summary>The layout of libbpf 0.8–1.6's usdt.bpf.h: 12 args of 16 bytes, cookie at 192, arg_cnt at 200.</summary>
        public static UsdtSpecLayout Classic { get; } = new()
        {
            Size = 208, ArgumentsOffset = 0, ArgumentStride = 16, MaxArguments = 12,
            _valueOffset = new(0, 64), _kind = new(64, 32), _registerOffset = new(96, 16), _signed = new(112, 8), _bitShift = new(120, 8),
            _cookie = new(192 * 8, 64), _count = new(200 * 8, 16),
        };

        /// <summary>The layout of <paramref name="map"/>'s value type in <paramref name="btf"/>; the classic one when the map has no BTF type.</summary>
        public static UsdtSpecLayout Of(MapSpec map, BtfSpec? btf)
        {
            UsdtSpecLayout layout = btf is null || map.ValueTypeId == 0 ? Classic : FromBtf(map, btf);
            if (layout.Size != map.ValueSize)
                throw Mismatch(map, $"its value is {map.ValueSize} bytes, but struct __bpf_usdt_spec is {layout.Size}");
            return layout;
        }

        private static UsdtSpecLayout FromBtf(MapSpec map, BtfSpec btf)
        {
            BtfType spec = btf.GetType(btf.SkipModifiersAndTypedefs(map.ValueTypeId));
            if (spec.Kind != BtfKind.Struct)
                throw Mismatch(map, $"its value type is {spec}, not struct __bpf_usdt_spec");
            BtfMember args = Member(map, btf, spec, "args");
            BtfType array = btf.GetType(btf.SkipModifiersAndTypedefs(args.TypeId));
            if (array.Kind != BtfKind.Array)
                throw Mismatch(map, "its member 'args' is not an array");
            BtfType argument = btf.GetType(btf.SkipModifiersAndTypedefs(array.Array.ElementTypeId));
            var layout = new UsdtSpecLayout
            {
                Size = (int)btf.ResolveSize(spec.Id),
                ArgumentsOffset = (int)(args.BitOffset / 8),
                ArgumentStride = (int)btf.ResolveSize(argument.Id),
                MaxArguments = (int)array.Array.Count,
                _cookie = FieldOf(map, btf, spec, "usdt_cookie"),
                _count = FieldOf(map, btf, spec, "arg_cnt"),
                _valueOffset = FieldOf(map, btf, argument, "val_off"),
                _kind = FieldOf(map, btf, argument, "arg_type"),
                _registerOffset = FieldOf(map, btf, argument, "reg_off"),
                _signed = FieldOf(map, btf, argument, "arg_signed"),
                _bitShift = FieldOf(map, btf, argument, "arg_bitshift"),
                _indexRegisterOffset = TryField(btf, argument, "idx_reg_off"),
                _scaleShift = TryField(btf, argument, "scale_bitshift"),
            };
            return layout;
        }

        /// <summary>The map value for one call site: its arguments and the attachment's USDT cookie.</summary>
        public byte[] Encode(UsdtArgument[] arguments, ulong cookie)
        {
            if (arguments.Length > MaxArguments)
                throw new ArgumentException($"{arguments.Length} arguments, but this usdt.bpf.h holds at most {MaxArguments}");
            var value = new byte[Size];
            for (int i = 0; i < arguments.Length; i++)
            {
                UsdtArgument argument = arguments[i];
                uint at = (uint)((ArgumentsOffset + i * ArgumentStride) * 8);
                Write(value, at, _valueOffset, unchecked((ulong)argument.ValueOffset));
                Write(value, at, _kind, (ulong)argument.Kind);
                Write(value, at, _registerOffset, unchecked((ushort)argument.RegisterOffset));
                Write(value, at, _signed, argument.IsSigned ? 1UL : 0UL);
                Write(value, at, _bitShift, argument.BitShift);
                if (argument.Kind == UsdtArgumentKind.ScaledIndex)
                {
                    if (!SupportsScaledIndex)
                        throw new InvalidOperationException("a scale-index-base argument needs usdt.bpf.h from libbpf 1.7 or later");
                    Write(value, at, _indexRegisterOffset!.Value, unchecked((ushort)argument.IndexRegisterOffset));
                    Write(value, at, _scaleShift!.Value, argument.ScaleShift);
                }
            }
            Write(value, 0, _cookie, cookie);
            Write(value, 0, _count, (ulong)arguments.Length);
            return value;
        }

        /// <summary>Stores the low <see cref="Field.BitSize"/> bits of <paramref name="value"/> at base + field offset (little-endian bit order).</summary>
        private static void Write(byte[] buffer, uint baseBit, Field field, ulong value)
        {
            uint bit = baseBit + field.BitOffset;
            for (int i = 0; i < field.BitSize; i++, bit++)
            {
                int index = (int)(bit / 8);
                byte mask = (byte)(1 << (int)(bit % 8));
                if (((value >> i) & 1) != 0)
                    buffer[index] |= mask;
                else
                    buffer[index] &= (byte)~mask;
            }
        }

        private static BtfMember Member(MapSpec map, BtfSpec btf, BtfType type, string name)
        {
            foreach (BtfMember member in type.Members)
            {
                if (member.Name == name)
                    return member;
            }
            throw Mismatch(map, $"{type} has no member '{name}'");
        }

        private static Field FieldOf(MapSpec map, BtfSpec btf, BtfType type, string name)
            => ToField(btf, Member(map, btf, type, name));

        private static Field? TryField(BtfSpec btf, BtfType type, string name)
        {
            foreach (BtfMember member in type.Members)
            {
                if (member.Name == name)
                    return ToField(btf, member);
            }
            return null;
        }

        /// <summary>A bitfield has its own width; any other member is as wide as its type.</summary>
        private static Field ToField(BtfSpec btf, BtfMember member)
            => new(member.BitOffset, member.BitfieldSize != 0 ? member.BitfieldSize : (int)btf.ResolveSize(member.TypeId) * 8);

        private static BpfException Mismatch(MapSpec map, string problem)
            => new($"read the USDT spec layout of map '{map.Name}'", Errno.EINVAL, $"{problem}; is it usdt.bpf.h's __bpf_usdt_specs?");
    }
}
