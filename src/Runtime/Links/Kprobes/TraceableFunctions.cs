using System;
using System.Collections.Generic;
using System.IO;
using BpfSkeleton.Interop;

namespace BpfSkeleton
{
    /// <summary>
    /// Kernel functions that ftrace (and so kprobe.multi) can attach to, from tracefs'
    /// available_filter_functions, as libbpf resolves kprobe.multi patterns.
    /// </summary>
    internal static class TraceableFunctions
    {
        private static readonly string[] s_files =
        {
            "/sys/kernel/tracing/available_filter_functions",
            "/sys/kernel/debug/tracing/available_filter_functions",
        };

        /// <summary>The distinct function names matching <paramref name="pattern"/>, in file order.</summary>
        public static List<string> Match(string pattern)
        {
            string? file = Array.Find(s_files, File.Exists);
            if (file is null)
                throw new BpfException($"resolve kprobe.multi pattern '{pattern}'", Errno.ENOENT,
                    "tracefs is not mounted, or the kernel has no function tracer (available_filter_functions is missing)");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var names = new List<string>();
            foreach (string line in File.ReadLines(file))
            {
                // "name" or "name [module]"
                int space = line.IndexOf(' ');
                string name = space < 0 ? line : line.Substring(0, space);
                if (name.Length > 0 && Glob.Matches(pattern, name) && seen.Add(name))
                    names.Add(name);
            }
            if (names.Count == 0)
                throw new BpfException($"resolve kprobe.multi pattern '{pattern}'", Errno.ENOENT, $"no traceable function matches (searched {file})");
            return names;
        }
    }
}
