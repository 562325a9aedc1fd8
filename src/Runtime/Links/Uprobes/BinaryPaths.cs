using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using BpfSkeleton.Interop;

namespace BpfSkeleton.Links
{
    /// <summary>
    /// Turns the binary a uprobe names into a file path. A path with a '/' is used as given; a bare
    /// library name ("libc.so.6") is looked up like libbpf does — LD_LIBRARY_PATH, /usr/lib64,
    /// /usr/lib, the multiarch directory — after the dynamic linker's cache; a bare program name
    /// is looked up in PATH, then /usr/bin and /usr/sbin.
    /// </summary>
    internal static class BinaryPaths
    {
        public static string Resolve(string binary) => Resolve(binary, Environment.GetEnvironmentVariable, LdSoCache.DefaultPath);

        internal static string Resolve(string binary, Func<string, string?> environment, string ldSoCache)
        {
            ArgumentException.ThrowIfNullOrEmpty(binary);
            if (binary.Contains('/'))
            {
                if (!File.Exists(binary))
                    throw new BpfException($"find binary '{binary}'", Errno.ENOENT, "no such file");
                return binary;
            }
            bool isLibrary = IsLibraryName(binary);
            if (isLibrary && LdSoCache.Find(binary, ldSoCache) is { } cached && File.Exists(cached))
                return cached;
            var searched = new List<string>();
            foreach (string directory in SearchDirectories(isLibrary, environment))
            {
                if (directory.Length == 0 || searched.Contains(directory))
                    continue;
                searched.Add(directory);
                string candidate = Path.Combine(directory, binary);
                if (File.Exists(candidate) && (isLibrary || IsExecutable(candidate)))
                    return candidate;
            }
            throw new BpfException($"find binary '{binary}'", Errno.ENOENT,
                $"not found in {(isLibrary ? "the ld.so cache nor " : "")}{string.Join(":", searched)}");
        }

        /// <summary>libbpf's test: the name ends with ".so" or contains ".so.".</summary>
        internal static bool IsLibraryName(string name)
            => name.EndsWith(".so", StringComparison.Ordinal) || name.Contains(".so.", StringComparison.Ordinal);

        private static IEnumerable<string> SearchDirectories(bool isLibrary, Func<string, string?> environment)
        {
            string variable = isLibrary ? "LD_LIBRARY_PATH" : "PATH";
            string defaults = isLibrary ? "/usr/lib64:/usr/lib" + MultiarchDirectories : "/usr/bin:/usr/sbin";
            foreach (string list in new[] { environment(variable) ?? string.Empty, defaults })
            {
                foreach (string directory in list.Split(':'))
                    yield return directory;
            }
        }

        private static string MultiarchDirectories => RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => ":/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu",
            Architecture.Arm64 => ":/lib/aarch64-linux-gnu:/usr/lib/aarch64-linux-gnu",
            _ => string.Empty,
        };

        private static bool IsExecutable(string path)
            => !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }
}
