using System.IO;

namespace BpfSkeleton.Generator.Tests.Infrastructure
{
    /// <summary>
    /// Shell scripts standing in for other clang versions (this machine has clang-14 only): each prints
    /// the version asked of it, and, when it compiles, leaves a marker and runs the real clang-14.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    internal static class FakeTools
    {
        public static string RealClang => File.Exists("/usr/bin/clang-14") ? "/usr/bin/clang-14" : "clang-14";

        /// <summary>Writes <paramref name="name"/> into <paramref name="directory"/>, reporting <paramref name="version"/>.</summary>
        public static void Clang(string directory, string name, string version, bool compiles)
        {
            var path = Path.Combine(directory, name);
            var compile = compiles ? $"touch \"{path}.used\"\nexec {RealClang} \"$@\"" : "echo 'this clang cannot compile' >&2\nexit 1";
            File.WriteAllText(path, $"#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'clang version {version} (fake)'; exit 0; fi\n{compile}\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        public static bool WasUsed(string directory, string name) => File.Exists(Path.Combine(directory, name + ".used"));
    }
}
