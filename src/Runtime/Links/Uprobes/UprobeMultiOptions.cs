using System.Collections.Generic;

namespace BpfSkeleton.Links
{
    /// <summary>
    /// The locations of a uprobe.multi link, all in one binary: functions by name, by glob pattern,
    /// or raw file offsets (exactly one of the three).
    /// </summary>
    public sealed class UprobeMultiOptions
    {
        /// <summary>Functions to probe, by symbol name.</summary>
        public IReadOnlyList<string>? FunctionNames { get; init; }

        /// <summary>A glob ('*', '?') over function symbol names, as in SEC("uprobe.multi/path:pattern").</summary>
        public string? Pattern { get; init; }

        /// <summary>Raw file offsets to probe.</summary>
        public IReadOnlyList<ulong>? Offsets { get; init; }

        /// <summary>Per-location reference counter (USDT semaphore) offsets, or null.</summary>
        public IReadOnlyList<ulong>? RefCounterOffsets { get; init; }

        /// <summary>Per-location values for bpf_get_attach_cookie(), or null.</summary>
        public IReadOnlyList<ulong>? Cookies { get; init; }

        /// <summary>uretprobes: run when the functions return.</summary>
        public bool IsReturn { get; init; }

        /// <summary>Only this process triggers the probes; -1 for every process.</summary>
        public int ProcessId { get; init; } = -1;
    }
}
