using System;

namespace BpfSkeleton.Elf
{
    /// <summary>
    /// A name in an ELF string table, validated when the file is parsed and decoded to a string
    /// only when asked for: most section and symbol names of an object are never read.
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

        public ReadOnlySpan<byte> Utf8
            => _table.IsEmpty && _text is not null ? System.Text.Encoding.UTF8.GetBytes(_text) : _table.Span.Slice(_start, _length);
    }
}
