using System;
using System.IO;
using System.Runtime.InteropServices;

namespace BpfSkeleton.Links
{
    /// <summary>
    /// The kernel function behind a system call, as libbpf names it for ksyscall: kernels with
    /// syscall wrappers (x86-64, arm64, s390, riscv… since 4.17) enter "__&lt;arch&gt;_sys_&lt;name&gt;";
    /// others "__se_sys_&lt;name&gt;".
    /// </summary>
    internal static class SyscallFunctions
    {
        private static readonly Lazy<bool> s_hasWrappers = new(() => ArchitecturePrefix(RuntimeInformation.ProcessArchitecture) is { } prefix
            && KernelSymbolExists($"__{prefix}_sys_bpf"));

        public static string KernelFunctionFor(string syscall)
            => KernelFunctionFor(syscall, RuntimeInformation.ProcessArchitecture, s_hasWrappers.Value);

        internal static string KernelFunctionFor(string syscall, Architecture architecture, bool hasWrappers)
            => hasWrappers && ArchitecturePrefix(architecture) is { } prefix ? $"__{prefix}_sys_{syscall}" : $"__se_sys_{syscall}";

        /// <summary>The architecture part of syscall wrapper names (libbpf's arch_specific_syscall_pfx); null if none.</summary>
        internal static string? ArchitecturePrefix(Architecture architecture) => architecture switch
        {
            Architecture.X64 => "x64",
            Architecture.X86 => "ia32",
            Architecture.Arm64 => "arm64",
            Architecture.Arm or Architecture.Armv6 => "arm",
            Architecture.S390x => "s390x",
            Architecture.RiscV64 => "riscv",
            Architecture.Ppc64le => "powerpc64",
            _ => null,
        };

        /// <summary>Whether /proc/kallsyms lists a function of that name (addresses may be hidden; names are not).</summary>
        private static bool KernelSymbolExists(string name)
        {
            try
            {
                foreach (string line in File.ReadLines("/proc/kallsyms"))
                {
                    // "<address> <type> <name>[\t[module]]"
                    int nameStart = line.IndexOf(' ', line.IndexOf(' ') + 1) + 1;
                    if (nameStart > 0 && string.CompareOrdinal(line, nameStart, name, 0, name.Length) == 0
                        && (line.Length == nameStart + name.Length || line[nameStart + name.Length] == '\t'))
                        return true;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
            return false;
        }
    }
}
