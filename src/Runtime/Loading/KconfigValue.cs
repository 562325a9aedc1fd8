using System;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using BpfSkeleton.Btf;

namespace BpfSkeleton.Loading
{
    /// <summary>
    /// Writes one <c>__kconfig</c> extern's value into the .kconfig image with libbpf's typing
    /// rules: y/n/m into bool, <c>enum libbpf_tristate</c> or char; quoted strings into char
    /// arrays (truncated to fit); numbers into ints, chars and bools, checked to fit.
    /// </summary>
    internal readonly struct KconfigValue
    {
        private enum Kind { Unknown, Bool, Char, Tristate, Int, CharArray }

        private readonly Kind _kind;
        private readonly bool _signed;
        private readonly string _what;

        private KconfigValue(Kind kind, bool signed, string what)
        {
            _kind = kind;
            _signed = signed;
            _what = what;
        }

        /// <summary>libbpf's find_kcfg_type; unsupported types are rejected here, before any value is read.</summary>
        public static KconfigValue For(BtfSpec btf, int typeId, string what)
        {
            var kind = Classify(btf, typeId, out var signed);
            if (kind == Kind.Unknown)
                throw new BpfLoadException($"{what}: type {btf.GetTypeName(typeId)} is unsupported; use bool, enum libbpf_tristate, an integer of 1/2/4/8 bytes, char or a char array");
            return new KconfigValue(kind, signed, what);
        }

        private static Kind Classify(BtfSpec btf, int typeId, out bool signed)
        {
            signed = false;
            var type = btf.GetType(btf.SkipModifiersAndTypedefs(typeId));
            switch (type.Kind)
            {
                case BtfKind.Int:
                    if (type.Int.IsBool) return type.Size == 1 ? Kind.Bool : Kind.Unknown;
                    signed = type.Int.IsSigned;
                    if (type.Size == 1) return Kind.Char;
                    return type.Size is 2 or 4 or 8 ? Kind.Int : Kind.Unknown;
                case BtfKind.Enum:
                    return type.Size == 4 && type.Name == "libbpf_tristate" ? Kind.Tristate : Kind.Unknown;
                case BtfKind.Enum64:
                    return type.Name == "libbpf_tristate" ? Kind.Tristate : Kind.Unknown;
                case BtfKind.Array:
                    return type.Array.Count > 0 && Classify(btf, type.Array.ElementTypeId, out _) == Kind.Char ? Kind.CharArray : Kind.Unknown;
                default:
                    return Kind.Unknown;
            }
        }

        /// <summary>A value as /proc/config.gz spells it: y, n, m, "text" or a number (decimal, 0x hex, 0 octal).</summary>
        public void WriteConfig(string raw, Span<byte> target)
        {
            if (raw.Length == 0) throw new BpfLoadException($"{_what}: the kernel configuration has no value for it");
            switch (raw[0])
            {
                case 'y':
                case 'n':
                case 'm':
                    WriteTristate(raw[0], target);
                    return;
                case '"':
                    WriteString(raw, target);
                    return;
            }
            if (!TryParseNumber(raw, out var number))
                throw new BpfLoadException($"{_what}: the kernel's value '{raw}' is not a valid integer");
            if (_kind is not (Kind.Int or Kind.Char))
                throw new BpfLoadException($"{_what}: the kernel's value '{raw}' is an integer, which the extern's type cannot hold");
            WriteNumber(number, target);
        }

        public void WriteNumber(ulong value, Span<byte> target)
        {
            if (_kind is not (Kind.Int or Kind.Char or Kind.Bool))
                throw new BpfLoadException($"{_what}: value {value} needs an integer, char or bool extern");
            if (_kind == Kind.Bool && value > 1)
                throw new BpfLoadException($"{_what}: value {value} is not a bool");
            if (_kind != Kind.Bool && !Fits(value, target.Length))
                throw new BpfLoadException($"{_what}: value {value} does not fit {target.Length} bytes");
            Span<byte> bytes = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
            bytes.Slice(0, target.Length).CopyTo(target);
        }

        private void WriteTristate(char value, Span<byte> target)
        {
            switch (_kind)
            {
                case Kind.Bool:
                    if (value == 'm') throw new BpfLoadException($"{_what}: the kernel sets it to 'm' (module), which a bool cannot say; declare it enum libbpf_tristate");
                    target[0] = value == 'y' ? (byte)1 : (byte)0;
                    return;
                case Kind.Tristate:
                    BinaryPrimitives.WriteUInt32LittleEndian(target, value switch { 'y' => 1u, 'm' => 2u, _ => 0u });
                    return;
                case Kind.Char:
                    target[0] = (byte)value;
                    return;
                default:
                    throw new BpfLoadException($"{_what}: the kernel's value '{value}' needs a bool, tristate or char extern");
            }
        }

        private void WriteString(string raw, Span<byte> target)
        {
            if (_kind != Kind.CharArray)
                throw new BpfLoadException($"{_what}: the kernel's value {raw} is a string, which needs a char array extern");
            if (raw.Length < 2 || raw[raw.Length - 1] != '"')
                throw new BpfLoadException($"{_what}: invalid string value {raw}");
            var text = Encoding.UTF8.GetBytes(raw.Substring(1, raw.Length - 2));
            // libbpf truncates a long string to the array, keeping the terminating NUL.
            var length = Math.Min(text.Length, target.Length - 1);
            text.AsSpan(0, length).CopyTo(target);
            target[length] = 0;
        }

        private bool Fits(ulong value, int size)
        {
            if (size == 8) return true;
            var bits = size * 8;
            return _signed ? value + (1ul << (bits - 1)) < 1ul << bits : value >> bits == 0;
        }

        /// <summary>strtoull with base 0, the whole string consumed.</summary>
        private static bool TryParseNumber(string raw, out ulong value)
        {
            var text = raw;
            var negative = text.StartsWith("-", StringComparison.Ordinal);
            if (negative || text.StartsWith("+", StringComparison.Ordinal)) text = text.Substring(1);
            bool ok;
            if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
                ok = ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
            else if (text.Length > 1 && text[0] == '0')
                ok = TryParseOctal(text, out value);
            else
                ok = ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
            if (ok && negative) value = unchecked(0ul - value);
            return ok;
        }

        private static bool TryParseOctal(string text, out ulong value)
        {
            value = 0;
            foreach (var c in text)
            {
                if (c < '0' || c > '7' || value > ulong.MaxValue >> 3) return false;
                value = (value << 3) | (uint)(c - '0');
            }
            return true;
        }
    }
}
