using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Xunit;

namespace BpfSkeleton.Generator.Tests.Snapshots
{
    /// <summary>
    /// Compares text with a checked-in baseline under tests/Generator.Tests/Baselines. With
    /// BPFSKELETON_UPDATE_BASELINES=1 the baseline is (re)written instead and the test passes;
    /// review the diff and commit it.
    /// </summary>
    internal static class Snapshot
    {
        public static void Match(string name, string actual, [CallerFilePath] string callerPath = "")
        {
            var directory = Path.Combine(FindProjectDirectory(callerPath), "Baselines");
            var path = Path.Combine(directory, name);
            actual = actual.Replace("\r\n", "\n");
            if (Environment.GetEnvironmentVariable("BPFSKELETON_UPDATE_BASELINES") == "1")
            {
                Directory.CreateDirectory(directory);
                File.WriteAllText(path, actual);
                return;
            }
            Assert.True(File.Exists(path), $"No baseline {path}; run the tests with BPFSKELETON_UPDATE_BASELINES=1 to create it.");
            var expected = File.ReadAllText(path).Replace("\r\n", "\n");
            if (expected == actual) return;
            Assert.Fail($"{name} differs from its baseline ({path}):\n{LineDiff(expected, actual)}" +
                        "If the change is intended, rerun with BPFSKELETON_UPDATE_BASELINES=1 and commit the baseline.");
        }

        /// <summary>A unified-style line diff (DiffPlex): changed lines with three lines of context, "-" baseline, "+" actual.</summary>
        internal static string LineDiff(string expected, string actual, int context = 3, int maxLines = 80)
        {
            var diff = InlineDiffBuilder.Diff(expected.TrimEnd('\n'), actual.TrimEnd('\n'), ignoreWhiteSpace: false);
            var lines = diff.Lines;
            var show = new bool[lines.Count];
            for (var i = 0; i < lines.Count; i++)
            {
                if (lines[i].Type == ChangeType.Unchanged) continue;
                for (var j = Math.Max(0, i - context); j <= Math.Min(lines.Count - 1, i + context); j++) show[j] = true;
            }
            var text = new StringBuilder();
            int written = 0, expectedLine = 0;
            for (var i = 0; i < lines.Count && written < maxLines; i++)
            {
                if (lines[i].Type != ChangeType.Inserted) expectedLine++;
                if (!show[i]) continue;
                if (i > 0 && !show[i - 1]) text.Append("@@ baseline line ").Append(expectedLine).Append(" @@\n");
                var mark = lines[i].Type switch { ChangeType.Inserted => '+', ChangeType.Deleted => '-', _ => ' ' };
                text.Append(mark).Append(' ').Append(lines[i].Text).Append('\n');
                written++;
            }
            if (written == maxLines) text.Append("… (diff truncated)\n");
            return text.ToString();
        }

        private static string FindProjectDirectory(string callerPath)
        {
            var directory = Path.GetDirectoryName(callerPath);
            while (directory is not null && !File.Exists(Path.Combine(directory, "BpfSkeleton.Generator.Tests.csproj")))
                directory = Path.GetDirectoryName(directory);
            return directory ?? throw new InvalidOperationException($"no test project above {callerPath}");
        }
    }
}
