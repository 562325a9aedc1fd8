using System.Collections.Generic;
using System.Text;

namespace BpfSkeleton.Tasks
{
    /// <summary>
    /// Reads the make rule clang writes with <c>-MD -MF</c> ("x.o: x.bpf.c a.h \ b.h"): the prerequisites,
    /// i.e. the source and every header it reached, through include directories and #include chains alike.
    /// </summary>
    internal static class DependencyFile
    {
        /// <summary>The prerequisites of every rule in <paramref name="text"/>, in order, without duplicates.</summary>
        public static IReadOnlyList<string> Prerequisites(string text)
        {
            var result = new List<string>();
            var seen = new HashSet<string>();
            var token = new StringBuilder();
            var inTargets = true; // each rule starts with its targets, up to the ':' that ends them
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '\\' && i + 1 < text.Length)
                {
                    var next = text[i + 1];
                    if (next == '\n' || next == '\r') { Flush(); i++; if (next == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++; continue; }
                    if (next == ' ' || next == '#' || next == '\\') { token.Append(next); i++; continue; }
                }
                if (c == '$' && i + 1 < text.Length && text[i + 1] == '$') { token.Append('$'); i++; continue; }
                if (c == '\n') { Flush(); inTargets = true; continue; }
                if (c == ' ' || c == '\t' || c == '\r') { Flush(); continue; }
                if (c == ':' && inTargets && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1]))) { token.Clear(); inTargets = false; continue; }
                token.Append(c);
            }
            Flush();
            return result;

            void Flush()
            {
                if (token.Length > 0 && !inTargets)
                {
                    var path = token.ToString();
                    if (seen.Add(path)) result.Add(path);
                }
                token.Clear();
            }
        }
    }
}
