using System;
using System.Collections.Generic;
using System.IO;
using BpfSkeleton.Interop;
using BpfSkeleton.KernelFacts;

namespace BpfSkeleton.Links
{
    /// <summary>
    /// Kernel functions a kprobe.multi pattern can name, as libbpf resolves them: tracefs'
    /// available_filter_functions (exactly the functions ftrace can attach to), or, when that is
    /// missing or unreadable, the text symbols of /proc/kallsyms.
    /// </summary>
    internal static class TraceableFunctions
    {
        private static readonly string[] s_filterFunctionFiles =
        {
            "/sys/kernel/tracing/available_filter_functions",
            "/sys/kernel/debug/tracing/available_filter_functions",
        };

        private const string Kallsyms = "/proc/kallsyms";

        /// <summary>The distinct function names matching <paramref name="pattern"/>, in file order.</summary>
        public static List<string> Match(string pattern)
        {
            string operation = $"resolve kprobe.multi pattern '{pattern}'";
            foreach (string file in s_filterFunctionFiles)
            {
                if (TryMatch(file, pattern, FilterFunctionName, out var names))
                    return NonEmpty(names, operation, file);
            }
            if (TryMatch(Kallsyms, pattern, KallsymsFunctionName, out var symbols))
                return NonEmpty(symbols, operation, Kallsyms);
            throw new BpfException(operation, Errno.ENOENT, "neither available_filter_functions nor /proc/kallsyms could be read");
        }

        private static bool TryMatch(string file, string pattern, Func<string, string?> nameOf, out List<string> names)
        {
            names = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                foreach (string line in File.ReadLines(file))
                {
                    string? name = nameOf(line);
                    if (name is not null && Glob.Matches(pattern, name) && seen.Add(name))
                        names.Add(name);
                }
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false; // missing, or denied (e.g. under lockdown): try the next source
            }
        }

        /// <summary>"name" or "name [module]".</summary>
        private static string? FilterFunctionName(string line)
        {
            int space = line.IndexOf(' ');
            string name = space < 0 ? line : line.Substring(0, space);
            return name.Length == 0 ? null : name;
        }

        /// <summary>"address type name[\t[module]]"; only text symbols (t/T) are functions.</summary>
        private static string? KallsymsFunctionName(string line)
        {
            string[] parts = line.Split(' ', 3);
            if (parts.Length < 3 || parts[1] is not ("t" or "T"))
                return null;
            int tab = parts[2].IndexOf('\t');
            return tab < 0 ? parts[2] : parts[2].Substring(0, tab);
        }

        private static List<string> NonEmpty(List<string> names, string operation, string source)
            => names.Count > 0 ? names : throw new BpfException(operation, Errno.ENOENT, $"no kernel function matches (searched {source})");
    }
}
