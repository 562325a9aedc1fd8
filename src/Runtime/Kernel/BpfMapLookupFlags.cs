namespace BpfSkeleton.Kernel
{
    /// <summary>Flags of a map element lookup.</summary>
    public enum BpfMapLookupFlags : ulong
    {
        /// <summary>A plain lookup.</summary>
        None = 0,
        /// <summary>BPF_F_LOCK: copy the value under its bpf_spin_lock, so it is never seen half-updated.</summary>
        Lock = 4,
    }
}
