using System.Collections.Generic;
using System.Text;

namespace BpfSkeleton.Generator
{
    /// <summary>An indenting line writer for generated source; always '\n' line endings so output is byte-stable.</summary>
    internal sealed class CodeWriter
    {
        private readonly StringBuilder _text = new StringBuilder();
        private int _indent;

        public CodeWriter Line(string line = "")
        {
            if (line.Length != 0) _text.Append(' ', _indent * 4).Append(line);
            _text.Append('\n');
            return this;
        }

        public CodeWriter Open(string line)
        {
            Line(line);
            Line("{");
            _indent++;
            return this;
        }

        public CodeWriter Close(string suffix = "")
        {
            _indent--;
            return Line("}" + suffix);
        }

        /// <summary>A one-line XML doc summary; <paramref name="xml"/> is already escaped.</summary>
        public CodeWriter Summary(string xml) => Line("/// <summary>" + xml + "</summary>");

        /// <summary>Raw text appended at the current position (for large literals).</summary>
        public StringBuilder Raw => _text;

        public int Indent => _indent;

        public override string ToString() => _text.ToString();

        /// <summary>Escapes text for XML doc comments.</summary>
        public static string Xml(string text)
        {
            var escaped = text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
            // A line break (or any control character) inside a name would end the /// comment line and turn
            // the rest of the name into code: show it as \xNN instead.
            if (escaped.IndexOfAny(ControlCharacters) < 0) return escaped;
            var safe = new StringBuilder(escaped.Length + 8);
            foreach (var c in escaped)
                safe.Append(c < ' ' || c == '\u007f' || c == '\u2028' || c == '\u2029' ? "\\x" + ((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture) : c.ToString());
            return safe.ToString();
        }

        private static readonly char[] ControlCharacters = BuildControlCharacters();

        private static char[] BuildControlCharacters()
        {
            var characters = new List<char>();
            for (char c = '\0'; c < ' '; c++) characters.Add(c);
            characters.Add('\u007f');
            characters.Add('\u2028');
            characters.Add('\u2029');
            return characters.ToArray();
        }

        /// <summary>A C# string literal.</summary>
        public static string Literal(string text)
        {
            var literal = new StringBuilder(text.Length + 2).Append('"');
            foreach (var c in text)
            {
                switch (c)
                {
                    case '"': literal.Append("\\\""); break;
                    case '\\': literal.Append("\\\\"); break;
                    default:
                        if (c < ' ' || c > '~') literal.Append("\\u").Append(((int)c).ToString("x4"));
                        else literal.Append(c);
                        break;
                }
            }
            return literal.Append('"').ToString();
        }
    }
}
