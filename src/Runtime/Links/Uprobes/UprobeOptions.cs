namespace BpfSkeleton.Links
{
    /// <summary>Where and how a uprobe attaches inside a binary.</summary>
    public sealed class UprobeOptions
    {
        /// <summary>The function to probe (found in .symtab, then .dynsym); null makes <see cref="Offset"/> a file offset.</summary>
        public string? FunctionName { get; init; }

        /// <summary>Bytes past the function's start, or the file offset itself when there is no function name.</summary>
        public ulong Offset { get; init; }

        /// <summary>A uretprobe: runs when the function returns.</summary>
        public bool IsReturn { get; init; }

        /// <summary>Only this process triggers the probe; -1 for every process.</summary>
        public int ProcessId { get; init; } = -1;

        /// <summary>The value bpf_get_attach_cookie() returns in the program.</summary>
        public ulong Cookie { get; init; }

        /// <summary>File offset of a reference counter (a USDT semaphore) the kernel increments while the probe is attached; 0 for none.</summary>
        public ulong RefCounterOffset { get; init; }
    }
}
