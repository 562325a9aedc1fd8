using System;
using System.Collections.Generic;
using System.Globalization;
using BpfSkeleton.Elf;

namespace BpfSkeleton.Links
{
    /// <summary>
    /// Parses a USDT argument string — space-separated "size@location" items as the assembler wrote
    /// them into the note — into <see cref="UsdtArgument"/>s. A negative size means signed. Locations:
    /// x86-64 "$imm", "%reg", "off(%reg)", "(%reg)", "off(%base,%index,scale)"; arm64 "imm", "xN"/"sp",
    /// "[reg]", "[reg, off]". Errors are <see cref="FormatException"/>s naming the item and the whole string.
    /// </summary>
    internal static class UsdtArgumentParser
    {
        /// <summary>usdt.bpf.h's BPF_USDT_MAX_ARG_CNT.</summary>
        public const int MaxArguments = 12;

        public static UsdtArgument[] Parse(string arguments, ushort machine)
        {
            if (machine != ElfConstants.EM_X86_64 && machine != ElfConstants.EM_AARCH64)
                throw new FormatException($"USDT arguments '{arguments}': machine {machine} is not supported (x86-64 and arm64 are)");
            var result = new List<UsdtArgument>();
            var cursor = new Cursor(arguments);
            while (!cursor.AtEnd)
            {
                if (result.Count == MaxArguments)
                    throw new FormatException($"USDT arguments '{arguments}': more than {MaxArguments} arguments");
                int start = cursor.Position;
                try
                {
                    result.Add(machine == ElfConstants.EM_X86_64 ? ParseX86(ref cursor) : ParseArm64(ref cursor));
                    cursor.RequireItemEnd();
                }
                catch (FormatException e)
                {
                    throw new FormatException($"USDT argument #{result.Count} '{cursor.ItemFrom(start)}' of '{arguments}': {e.Message}", e);
                }
                cursor.SkipSpaces();
            }
            return result.ToArray();
        }

        private static UsdtArgument ParseX86(ref Cursor c)
        {
            var (size, signed) = ParseSize(ref c);
            c.SkipSpaces();
            if (c.Accept('$'))
                return new UsdtArgument(UsdtArgumentKind.Constant, size, signed, c.Integer("a constant after '$'"), 0);
            if (c.Accept('%'))
                return new UsdtArgument(UsdtArgumentKind.Register, size, signed, 0, Register(EM_X86_64, c.Name()));
            long offset = c.Peek() == '(' ? 0 : c.Integer("an offset or '(' (symbolic offsets such as 'sym(%rip)' are not supported)");
            c.Expect('(');
            c.Expect('%');
            short baseRegister = Register(EM_X86_64, c.Name());
            if (c.Accept(')'))
                return new UsdtArgument(UsdtArgumentKind.RegisterDeref, size, signed, offset, baseRegister);
            if (!c.Accept(','))
                throw new FormatException("expected ')' or ',' after the register");
            c.Expect('%');
            short index = Register(EM_X86_64, c.Name());
            long scale = c.Accept(',') ? c.Integer("a scale") : 1;
            c.Expect(')');
            byte shift = scale switch
            {
                1 => 0,
                2 => 1,
                4 => 2,
                8 => 3,
                _ => throw new FormatException($"scale {scale} is not 1, 2, 4 or 8"),
            };
            return new UsdtArgument(UsdtArgumentKind.ScaledIndex, size, signed, offset, baseRegister, index, shift);
        }

        private static UsdtArgument ParseArm64(ref Cursor c)
        {
            var (size, signed) = ParseSize(ref c);
            c.SkipSpaces();
            if (c.Accept('['))
            {
                short register = Register(EM_AARCH64, c.Name());
                long offset = c.Accept(',') ? c.Integer("an offset") : 0;
                c.Expect(']');
                return new UsdtArgument(UsdtArgumentKind.RegisterDeref, size, signed, offset, register);
            }
            char next = c.Peek();
            if (next == '-' || char.IsAsciiDigit(next))
                return new UsdtArgument(UsdtArgumentKind.Constant, size, signed, c.Integer("a constant"), 0);
            return new UsdtArgument(UsdtArgumentKind.Register, size, signed, 0, Register(EM_AARCH64, c.Name()));
        }

        private static (int Size, bool Signed) ParseSize(ref Cursor c)
        {
            long size = c.Integer("the argument size");
            c.Expect('@');
            bool signed = size < 0;
            long bytes = Math.Abs(size);
            if (bytes is not (1 or 2 or 4 or 8))
                throw new FormatException($"size {size} is not ±1, ±2, ±4 or ±8");
            return ((int)bytes, signed);
        }

        private const ushort EM_X86_64 = ElfConstants.EM_X86_64;
        private const ushort EM_AARCH64 = ElfConstants.EM_AARCH64;

        private static short Register(ushort machine, string name)
        {
            int offset = UsdtRegisters.OffsetOf(machine, name);
            if (offset < 0)
                throw new FormatException($"unknown register '{name}'");
            return (short)offset;
        }

        /// <summary>Reads tokens; spaces are allowed between them, as sscanf's " %d @ %ld ( …" allows.</summary>
        private struct Cursor
        {
            private readonly string _text;

            public Cursor(string text)
            {
                _text = text;
                Position = 0;
                SkipSpaces();
            }

            public int Position { get; private set; }

            public bool AtEnd => Position >= _text.Length;

            public char Peek() => AtEnd ? '\0' : _text[Position];

            public void SkipSpaces()
            {
                while (!AtEnd && char.IsWhiteSpace(_text[Position]))
                    Position++;
            }

            public bool Accept(char expected)
            {
                SkipSpaces();
                if (Peek() != expected)
                    return false;
                Position++;
                return true;
            }

            public void Expect(char expected)
            {
                if (!Accept(expected))
                    throw new FormatException(AtEnd ? $"expected '{expected}' but the string ends" : $"expected '{expected}' at '{Rest()}'");
            }

            public long Integer(string what)
            {
                SkipSpaces();
                int start = Position;
                if (Peek() is '-' or '+')
                    Position++;
                while (!AtEnd && char.IsAsciiDigit(_text[Position]))
                    Position++;
                if (!long.TryParse(_text.AsSpan(start, Position - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
                {
                    Position = start;
                    throw new FormatException(AtEnd ? $"expected {what} but the string ends" : $"expected {what} at '{Rest()}'");
                }
                return value;
            }

            /// <summary>An item ends at a space or the end of the string.</summary>
            public void RequireItemEnd()
            {
                if (!AtEnd && !char.IsWhiteSpace(_text[Position]))
                    throw new FormatException($"unexpected '{Rest()}' after the location");
            }

            /// <summary>A register name: lowercase letters and digits.</summary>
            public string Name()
            {
                SkipSpaces();
                int start = Position;
                while (!AtEnd && (char.IsAsciiLetterLower(_text[Position]) || char.IsAsciiDigit(_text[Position])))
                    Position++;
                if (Position == start)
                    throw new FormatException(AtEnd ? "expected a register name but the string ends" : $"expected a register name at '{Rest()}'");
                return _text.Substring(start, Position - start);
            }

            /// <summary>The item that starts at <paramref name="start"/>, up to the next space.</summary>
            public string ItemFrom(int start)
            {
                int end = _text.IndexOf(' ', start);
                return end < 0 ? _text.Substring(start) : _text.Substring(start, end - start);
            }

            private string Rest() => _text.Substring(Position);
        }
    }
}
