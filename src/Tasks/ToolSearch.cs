using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;

namespace BpfSkeleton.Tasks
{
    /// <summary>
    /// Finds executables the way a shell would (PATH, in order), plus the places distributions put
    /// tools that a non-root PATH lacks (bpftool lives in /usr/sbin).
    /// </summary>
    internal sealed class ToolSearch
    {
        private static readonly Regex VersionedClang = new Regex(@"^clang-(\d+)$", RegexOptions.CultureInvariant);
        private readonly IReadOnlyList<string> directories;

        public ToolSearch(string? pathVariable, params string[] extraDirectories)
        {
            var list = new List<string>();
            foreach (var directory in (pathVariable ?? "").Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries))
                if (!list.Contains(directory)) list.Add(directory);
            foreach (var directory in extraDirectories)
                if (!list.Contains(directory)) list.Add(directory);
            directories = list;
        }

        /// <summary>Where this search looks, for error messages.</summary>
        public string Describe() => string.Join(":", directories);

        /// <summary>A name with a '/' is a path, used as is; otherwise the first executable of that name.</summary>
        public string? Find(string nameOrPath)
        {
            if (nameOrPath.IndexOf('/') >= 0) return IsExecutable(nameOrPath) ? Path.GetFullPath(nameOrPath) : null;
            foreach (var directory in directories)
            {
                var candidate = Path.Combine(directory, nameOrPath);
                if (IsExecutable(candidate)) return candidate;
            }
            return null;
        }

        /// <summary>Every <c>clang-NN</c> with NN at least <paramref name="minimumMajor"/>, newest first.</summary>
        public IReadOnlyList<string> VersionedClangs(int minimumMajor)
        {
            var found = new SortedDictionary<int, string>(Comparer<int>.Create((a, b) => b.CompareTo(a)));
            foreach (var directory in directories)
            {
                if (!Directory.Exists(directory)) continue;
                foreach (var file in Directory.EnumerateFiles(directory, "clang-*"))
                {
                    var match = VersionedClang.Match(Path.GetFileName(file));
                    if (!match.Success || !int.TryParse(match.Groups[1].Value, out var major) || major < minimumMajor) continue;
                    if (!found.ContainsKey(major) && IsExecutable(file)) found[major] = file; // the first on PATH wins
                }
            }
            return new List<string>(found.Values);
        }

        private static bool IsExecutable(string path)
        {
            // netstandard2.0 has no UnixFileMode; a regular file that exists is what PATH search can check here,
            // and running it reports anything else.
            return File.Exists(path);
        }
    }
}
