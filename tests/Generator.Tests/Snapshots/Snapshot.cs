using System;
using System.IO;
using System.Runtime.CompilerServices;
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
            var line = FirstDifferentLine(expected, actual, out var expectedLine, out var actualLine);
            Assert.Fail($"{name} differs from its baseline at line {line}:\n  expected: {expectedLine}\n  actual:   {actualLine}\n" +
                        "If the change is intended, rerun with BPFSKELETON_UPDATE_BASELINES=1 and commit the baseline.");
        }

        private static string FindProjectDirectory(string callerPath)
        {
            var directory = Path.GetDirectoryName(callerPath);
            while (directory is not null && !File.Exists(Path.Combine(directory, "BpfSkeleton.Generator.Tests.csproj")))
                directory = Path.GetDirectoryName(directory);
            return directory ?? throw new InvalidOperationException($"no test project above {callerPath}");
        }

        private static int FirstDifferentLine(string expected, string actual, out string expectedLine, out string actualLine)
        {
            var e = expected.Split('\n');
            var a = actual.Split('\n');
            for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
            {
                expectedLine = i < e.Length ? e[i] : "<end of file>";
                actualLine = i < a.Length ? a[i] : "<end of file>";
                if (expectedLine != actualLine) return i + 1;
            }
            expectedLine = actualLine = "";
            return 0;
        }
    }
}
