using System;
using System.Text.RegularExpressions;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace BpfSkeleton.Tasks
{
    /// <summary>
    /// Compiles one BPF C file with clang (<c>-target bpf</c>), writing the object and its dependency file.
    /// clang's diagnostics (MSVC format) become MSBuild errors and warnings at the C file and line; a missing
    /// libbpf header or vmlinux.h, or a failure clang did not explain, becomes one BPFSK1xx error with the fix.
    /// </summary>
    public sealed class CompileBpf : ToolTask
    {
        private static readonly Regex MissingHeader = new Regex(@"'([^']+)' file not found", RegexOptions.CultureInvariant);
        private string? missingLibbpfHeader;
        private bool missingVmlinuxHeader;

        /// <summary>The clang to run (from ResolveBpfTools).</summary>
        [Required] public string ClangPath { get; set; } = "";

        /// <summary>The BPF C file.</summary>
        [Required] public string Source { get; set; } = "";

        /// <summary>The object to write.</summary>
        [Required] public string ObjectFile { get; set; } = "";

        /// <summary>The make-style dependency file to write (-MD -MF).</summary>
        [Required] public string DependencyFile { get; set; } = "";

        /// <summary>x86, arm64, …: defines <c>__TARGET_ARCH_x</c> for libbpf's bpf_tracing.h.</summary>
        [Required] public string TargetArch { get; set; } = "";

        /// <summary>BpfClangFlags, passed as written (-g -O2 by default).</summary>
        public string? Flags { get; set; }

        /// <summary>The target's multiarch include directory (asm/ headers), searched after everything else.</summary>
        public string? MultiarchIncludeDirectory { get; set; }

        /// <summary>Include directories, in order.</summary>
        public ITaskItem[] IncludeDirectories { get; set; } = Array.Empty<ITaskItem>();

        /// <inheritdoc />
        protected override string ToolName => "clang";

        /// <inheritdoc />
        protected override string GenerateFullPathToTool() => ClangPath;

        /// <inheritdoc />
        protected override MessageImportance StandardErrorLoggingImportance => MessageImportance.High;

        /// <inheritdoc />
        /// <remarks>The project's directory, so relative include directories mean what they mean in the project file (also in a task host).</remarks>
        protected override string? GetWorkingDirectory() => BuildEngine?.ProjectFileOfTaskNode is { Length: > 0 } project ? System.IO.Path.GetDirectoryName(project) : null;

        /// <inheritdoc />
        protected override string GenerateCommandLineCommands()
        {
            var builder = new CommandLineBuilder();
            builder.AppendTextUnquoted(Flags ?? "");
            builder.AppendSwitch("-target bpf");
            builder.AppendSwitch("-D__TARGET_ARCH_" + TargetArch);
            builder.AppendSwitch("-fdiagnostics-format=msvc");
            builder.AppendSwitch("-fno-color-diagnostics");
            foreach (var directory in IncludeDirectories)
                builder.AppendSwitchIfNotNull("-I", directory.ItemSpec.TrimEnd('/'));
            if (!string.IsNullOrEmpty(MultiarchIncludeDirectory)) builder.AppendSwitchIfNotNull("-idirafter ", MultiarchIncludeDirectory);
            builder.AppendSwitch("-MD");
            builder.AppendSwitchIfNotNull("-MF ", DependencyFile);
            builder.AppendSwitchIfNotNull("-c ", Source);
            builder.AppendSwitchIfNotNull("-o ", ObjectFile);
            return builder.ToString();
        }

        /// <inheritdoc />
        protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
        {
            var missing = MissingHeader.Match(singleLine);
            if (missing.Success && missing.Groups[1].Value.StartsWith("bpf/", StringComparison.Ordinal)) missingLibbpfHeader ??= missing.Groups[1].Value;
            if (missing.Success && missing.Groups[1].Value == "vmlinux.h") missingVmlinuxHeader = true;
            // Canonical "file(line,col): error: text" lines are logged as errors/warnings at that place.
            Log.LogMessageFromText(singleLine, messageImportance);
        }

        /// <inheritdoc />
        protected override bool HandleTaskExecutionErrors()
        {
            // Instead of MSB6006 "clang exited with code 1": clang's own errors are already logged; add the fix.
            if (missingLibbpfHeader is not null) LogError(BuildErrors.LibbpfHeadersMissingCode, BuildErrors.LibbpfHeadersMissing(Source, missingLibbpfHeader));
            if (missingVmlinuxHeader) LogError(BuildErrors.VmlinuxHeaderMissingCode, BuildErrors.VmlinuxHeaderMissing(Source));
            if (!Log.HasLoggedErrors) LogError(BuildErrors.ClangFailedCode, BuildErrors.ClangFailed(Source, ExitCode));
            return false;
        }

        private void LogError(string code, string message) =>
            Log.LogError(subcategory: null, errorCode: code, helpKeyword: null, file: Source, lineNumber: 0, columnNumber: 0, endLineNumber: 0, endColumnNumber: 0, message: message);
    }
}
