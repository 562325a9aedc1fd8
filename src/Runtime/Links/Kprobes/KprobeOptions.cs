namespace BpfSkeleton.Links
{
    /// <summary>How a kprobe attaches to a kernel function.</summary>
    public sealed class KprobeOptions
    {
        /// <summary>Bytes past the function's start (kprobes only; a kretprobe needs 0).</summary>
        public ulong Offset { get; init; }

        /// <summary>A kretprobe: runs when the function returns.</summary>
        public bool IsReturn { get; init; }

        /// <summary>The value bpf_get_attach_cookie() returns in the program.</summary>
        public ulong Cookie { get; init; }
    }
}
