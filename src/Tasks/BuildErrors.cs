namespace BpfSkeleton.Tasks
{
    /// <summary>
    /// Every error the build integration reports, with a stable ID (BPFSK1xx; the generator's own
    /// diagnostics are BPFSK0xx) and the fix, so a user never sees only an exit code.
    /// </summary>
    internal static class BuildErrors
    {
        private const string InstallDebian = "Debian/Ubuntu: apt-get install clang libbpf-dev bpftool (older Ubuntu: linux-tools-common for bpftool)";
        private const string InstallFedora = "Fedora: dnf install clang libbpf-devel bpftool";

        public const string ClangMissingCode = "BPFSK100";
        public const string ClangTooOldCode = "BPFSK101";
        public const string BpfToolMissingCode = "BPFSK102";
        public const string LibbpfHeadersMissingCode = "BPFSK103";
        public const string ObjectMissingCode = "BPFSK104";
        public const string ClangFailedCode = "BPFSK105";
        public const string VmlinuxHeaderMissingCode = "BPFSK106";

        /// <summary>The oldest clang whose BPF back-end emits what the loader needs (BTF, CO-RE relocations).</summary>
        public const int MinimumClangMajor = 14;

        public static string ClangMissing(string searched) =>
            $"clang {MinimumClangMajor} or newer is needed to compile <BpfCompile> items and none was found ({searched}). " +
            $"Install it ({InstallDebian}; {InstallFedora}) or set BpfClang to its name or path.";

        public static string ClangNotRunnable(string path, string reason) =>
            $"clang at '{path}' could not be run to read its version ({reason}). Set BpfClang to a working clang {MinimumClangMajor} or newer.";

        public static string ClangTooOld(string path, string version) =>
            $"clang at '{path}' is version {version}; BPF objects need clang {MinimumClangMajor} or newer. " +
            $"Install a newer one ({InstallDebian}; {InstallFedora}) or set BpfClang to its name or path.";

        public static string BpfToolMissing(string searched) =>
            $"bpftool is needed to generate vmlinux.h (BpfGenerateVmlinuxHeader=true) and was not found ({searched}). " +
            $"Install it ({InstallDebian}; {InstallFedora}), set BpfTool to its path, or give a vmlinux.h with BpfVmlinuxHeader.";

        public static string LibbpfHeadersMissing(string source, string header) =>
            $"{source} includes <{header}> from libbpf's headers, which were not found. " +
            $"Install them ({InstallDebian}; {InstallFedora}) or add their directory to BpfIncludeDirectories.";

        public static string VmlinuxHeaderMissing(string source) =>
            $"{source} includes \"vmlinux.h\", which no include directory has. Set BpfGenerateVmlinuxHeader=true " +
            "to dump it from the running kernel, or BpfVmlinuxHeader to a vmlinux.h you have.";

        public static string ObjectMissing(string itemType, string path) =>
            $"{itemType} '{path}' does not exist. Build it first, correct the path, or remove the item.";

        public static string ClangFailed(string source, int exitCode) =>
            $"clang failed compiling {source} (exit code {exitCode}) without reporting an error; its output is above (build with -v:n to see it).";
    }
}
