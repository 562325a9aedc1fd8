using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace BpfSkeleton.Tasks
{
    /// <summary>
    /// Finds clang and bpftool as users expect: <c>BpfClang</c>/<c>BpfTool</c> when set (a name or a path),
    /// else <c>clang</c> on PATH when it is new enough, else the newest <c>clang-NN</c> (NN ≥ 14); bpftool on
    /// PATH, then /usr/sbin and /sbin. Reports one BPFSK1xx error naming what is missing and how to install it.
    /// </summary>
    public sealed class ResolveBpfTools : Task
    {
        // clang --version once per clang binary (and its timestamp) for the life of the build node.
        private static readonly ConcurrentDictionary<string, string> VersionOutputs = new ConcurrentDictionary<string, string>();

        /// <summary>BpfClang: a clang name or path; empty to search.</summary>
        public string? Clang { get; set; }

        /// <summary>BpfTool: a bpftool name or path; empty for bpftool.</summary>
        public string? BpfTool { get; set; }

        /// <summary>Resolve clang (there are BpfCompile items to compile).</summary>
        public bool NeedClang { get; set; }

        /// <summary>Resolve bpftool (vmlinux.h is to be generated).</summary>
        public bool NeedBpfTool { get; set; }

        /// <summary>The clang to run.</summary>
        [Output] public string? ClangPath { get; set; }

        /// <summary>The bpftool to run.</summary>
        [Output] public string? BpfToolPath { get; set; }

        /// <inheritdoc />
        public override bool Execute()
        {
            var search = new ToolSearch(Environment.GetEnvironmentVariable("PATH"), "/usr/local/sbin", "/usr/sbin", "/sbin");
            if (NeedClang) ClangPath = FindClang(search);
            if (NeedBpfTool)
            {
                BpfToolPath = search.Find(string.IsNullOrWhiteSpace(BpfTool) ? "bpftool" : BpfTool!.Trim());
                if (BpfToolPath is null) LogError(BuildErrors.BpfToolMissingCode, BuildErrors.BpfToolMissing($"{BpfTool} in {search.Describe()}"));
            }
            return !Log.HasLoggedErrors;
        }

        private string? FindClang(ToolSearch search)
        {
            if (!string.IsNullOrWhiteSpace(Clang))
            {
                var chosen = search.Find(Clang!.Trim());
                if (chosen is null) LogError(BuildErrors.ClangMissingCode, BuildErrors.ClangMissing($"BpfClang is '{Clang}'; searched {search.Describe()}"));
                return chosen is not null && CheckVersion(chosen, reportTooOld: true) ? chosen : null;
            }

            var plain = search.Find("clang");
            if (plain is not null && CheckVersion(plain, reportTooOld: false)) return plain;
            foreach (var versioned in search.VersionedClangs(BuildErrors.MinimumClangMajor))
                if (CheckVersion(versioned, reportTooOld: false)) return versioned;

            // Nothing usable: name the old clang when there is one, it is the likelier surprise.
            if (plain is not null) CheckVersion(plain, reportTooOld: true);
            else LogError(BuildErrors.ClangMissingCode, BuildErrors.ClangMissing($"clang or clang-NN with NN ≥ {BuildErrors.MinimumClangMajor} in {search.Describe()}"));
            return null;
        }

        private bool CheckVersion(string clang, bool reportTooOld)
        {
            string output;
            try { output = VersionOutput(clang); }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception || e is IOException || e is InvalidOperationException)
            {
                if (reportTooOld) LogError(BuildErrors.ClangTooOldCode, BuildErrors.ClangNotRunnable(clang, e.Message));
                return false;
            }
            if (!ClangVersion.TryParse(output, out var major, out var version))
            {
                if (reportTooOld) LogError(BuildErrors.ClangTooOldCode, BuildErrors.ClangNotRunnable(clang, $"'--version' printed no clang version: {FirstLine(output)}"));
                return false;
            }
            if (major >= BuildErrors.MinimumClangMajor) return true;
            if (reportTooOld) LogError(BuildErrors.ClangTooOldCode, BuildErrors.ClangTooOld(clang, version));
            return false;
        }

        private static string VersionOutput(string clang)
        {
            var key = clang + "|" + File.GetLastWriteTimeUtc(clang).Ticks;
            return VersionOutputs.GetOrAdd(key, _ =>
            {
                var start = new ProcessStartInfo(clang, "--version") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                using var process = Process.Start(start)!;
                var error = process.StandardError.ReadToEndAsync();
                var output = process.StandardOutput.ReadToEnd();
                if (!process.WaitForExit(30_000)) { process.Kill(); throw new InvalidOperationException("'--version' did not finish in 30 s"); }
                return output + error.Result;
            });
        }

        private static string FirstLine(string text)
        {
            var end = text.IndexOf('\n');
            return (end < 0 ? text : text.Substring(0, end)).Trim();
        }

        private void LogError(string code, string message) =>
            Log.LogError(subcategory: null, errorCode: code, helpKeyword: null, file: BuildEngine?.ProjectFileOfTaskNode, lineNumber: 0, columnNumber: 0, endLineNumber: 0, endColumnNumber: 0, message: message);
    }
}
