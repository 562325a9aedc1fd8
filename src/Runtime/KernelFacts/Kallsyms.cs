using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace BpfSkeleton.KernelFacts
{
    /// <summary>Addresses of named kernel symbols from /proc/kallsyms (typeless <c>__ksym</c> externs, feature checks).</summary>
    internal static class Kallsyms
    {
        /// <summary>
        /// The address of each wanted symbol that exists. A name listed twice at different
        /// addresses is ambiguous and rejected, as libbpf does.
        /// </summary>
        public static Dictionary<string, ulong> Find(IReadOnlyCollection<string> wanted, string file = "/proc/kallsyms")
        {
            var names = new HashSet<string>(wanted, StringComparer.Ordinal);
            var found = new Dictionary<string, ulong>(StringComparer.Ordinal);
            if (names.Count == 0) return found;
            foreach (var line in File.ReadLines(file))
            {
                // "ffffffff81000000 T _stext" optionally followed by "\t[module]".
                var first = line.IndexOf(' ');
                var second = first < 0 ? -1 : line.IndexOf(' ', first + 1);
                if (second < 0) continue;
                var end = line.IndexOf('\t', second + 1);
                var symbol = end < 0 ? line.Substring(second + 1) : line.Substring(second + 1, end - second - 1);
                if (!names.Contains(symbol) ||
                    !ulong.TryParse(line.AsSpan(0, first), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var address))
                    continue;
                if (found.TryGetValue(symbol, out var earlier) && earlier != address)
                    throw new BpfLoadException($"kernel symbol '{symbol}' is ambiguous in {file}: 0x{earlier:x} or 0x{address:x}");
                found[symbol] = address;
            }
            return found;
        }

        /// <summary>Whether the kernel has a symbol of that name.</summary>
        public static bool Contains(string name) => Find(new[] { name }).ContainsKey(name);
    }
}
