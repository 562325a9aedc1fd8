using System.Text.RegularExpressions;

namespace BpfSkeleton.Tasks
{
    /// <summary>Reads the version from <c>clang --version</c>'s first line, whatever the vendor prefix.</summary>
    internal static class ClangVersion
    {
        // "clang version 14.0.6", "Debian clang version 14.0.6", "Ubuntu clang version 18.1.3 (1ubuntu1)", "Apple clang version 15.0.0 (...)".
        private static readonly Regex VersionPattern = new Regex(@"clang version (\d+)\.(\d+)(?:\.(\d+))?", RegexOptions.CultureInvariant);

        /// <summary>The major version and the whole "x.y.z" text, or false when the output is not clang's.</summary>
        public static bool TryParse(string versionOutput, out int major, out string version)
        {
            var match = VersionPattern.Match(versionOutput ?? "");
            major = match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
            version = match.Success ? match.Value.Substring("clang version ".Length) : "";
            return match.Success;
        }
    }
}
