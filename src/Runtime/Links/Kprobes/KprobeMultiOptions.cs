using System.Collections.Generic;

namespace BpfSkeleton.Links
{
    /// <summary>
    /// The kernel functions of a kprobe.multi link: by name, by glob pattern over the traceable
    /// functions, or by address (exactly one of the three).
    /// </summary>
    public sealed class KprobeMultiOptions
    {
        /// <summary>Kernel function names, as in /proc/kallsyms.</summary>
        public IReadOnlyList<string>? Symbols { get; init; }

        /// <summary>A glob ('*', '?') over available_filter_functions, as in SEC("kprobe.multi/pattern").</summary>
        public string? Pattern { get; init; }

        /// <summary>Kernel addresses of the functions (from /proc/kallsyms, which shows them only to root).</summary>
        public IReadOnlyList<ulong>? Addresses { get; init; }

        /// <summary>Per-function values for bpf_get_attach_cookie(), or null.</summary>
        public IReadOnlyList<ulong>? Cookies { get; init; }

        /// <summary>kretprobes: run when the functions return.</summary>
        public bool IsReturn { get; init; }
    }
}
