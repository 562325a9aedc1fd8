using System;

namespace BpfSkeleton.Elf
{
    /// <summary>
    /// A name in an ELF string table, validated when the file is parsed and decoded to a string
    /// only when asked for: most section and symbol names of an object are never read, and
    /// comparisons with <see cref="EqualsText(string)"/> work on the UTF-8 bytes.
    /// </summary>
    internal struct ElfName
    {
        private readonly ReadOnlyMemory<byte> _table;
        private readonly int _start;
        private readonly int _length;
        private string? _text;

        public ElfName(ReadOnlyMemory<byte> table, int start, int length)
        {
            _table = table;
            _start = start;
            _length = length;
            _text = length == 0 ? string.Empty : null;
        }

        public ElfName(string text)
        {
            _table = default;
            _start = 0;
            _length = 0;
            _text = text;
        }

        /// <summary>The decoded name; the first call decodes it (a race decodes twice, to equal strings).</summary>
        public string Text => _text ??= Utf8Text.Decode(_table, _start, _length);

        public bool IsEmpty => _text is not null ? _text.Length == 0 : _length == 0;

        public ReadOnlySpan<byte> Utf8
            => _table.IsEmpty && _text is not null ? System.Text.Encoding.UTF8.GetBytes(_text) : _table.Span.Slice(_start, _length);

        /// <summary>Whether the name's UTF-8 bytes are <paramref name="utf8"/>; lengths are compared before any bytes are read.</summary>
        public bool EqualsUtf8(ReadOnlySpan<byte> utf8)
            => _text is null ? _length == utf8.Length && _table.Span.Slice(_start, _length).SequenceEqual(utf8) : Utf8.SequenceEqual(utf8);

        /// <summary>Whether the name is <paramref name="text"/>, as comparing the decoded strings would say.</summary>
        public bool EqualsText(string text)
            => _text is not null ? _text == text : Utf8Text.EqualsString(_table.Span.Slice(_start, _length), text);
    }
}
