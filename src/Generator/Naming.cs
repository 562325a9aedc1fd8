using System.Text;

namespace BpfSkeleton.Generator
{
    /// <summary>C names to C# names: deterministic PascalCase, identifier checks.</summary>
    internal static class Naming
    {
        /// <summary>
        /// <c>snd_cwnd</c> → <c>SndCwnd</c>, <c>CA_EVENT_TX</c> → <c>CaEventTx</c>, <c>.data.custom</c> → <c>DataCustom</c>.
        /// Parts split at anything not a letter or digit; all-caps names are lowered first. Empty or
        /// digit-leading results get a leading underscore so they stay identifiers.
        /// </summary>
        public static string PascalCase(string name)
        {
            var allCaps = true;
            foreach (var c in name)
                if (char.IsLower(c)) { allCaps = false; break; }
            var text = new StringBuilder(name.Length);
            var startOfPart = true;
            foreach (var c in name)
            {
                if (!IsAsciiLetterOrDigit(c))
                {
                    startOfPart = true;
                    continue;
                }
                if (startOfPart) text.Append(char.ToUpperInvariant(c));
                else text.Append(allCaps ? char.ToLowerInvariant(c) : c);
                startOfPart = false;
            }
            if (text.Length == 0 || char.IsDigit(text[0])) text.Insert(0, '_');
            return text.ToString();
        }

        /// <summary>True for an ASCII C# identifier that is not a keyword.</summary>
        public static bool IsIdentifier(string name)
        {
            if (string.IsNullOrEmpty(name) || char.IsDigit(name[0])) return false;
            foreach (var c in name)
                if (!IsAsciiLetterOrDigit(c) && c != '_') return false;
            return Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(name) == Microsoft.CodeAnalysis.CSharp.SyntaxKind.None
                   && Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetContextualKeywordKind(name) == Microsoft.CodeAnalysis.CSharp.SyntaxKind.None;
        }

        /// <summary>A dotted namespace whose every part is an identifier (empty means the global namespace).</summary>
        public static bool IsNamespace(string name)
        {
            if (name.Length == 0) return true;
            foreach (var part in name.Split('.'))
                if (!IsIdentifier(part)) return false;
            return true;
        }

        private static bool IsAsciiLetterOrDigit(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
