namespace BpfSkeleton.Kernel
{
    /// <summary>Flags of a map element update.</summary>
    public enum BpfMapUpdateFlags : ulong
    {
        /// <summary>BPF_ANY: create or replace.</summary>
        Any = 0,
        /// <summary>BPF_NOEXIST: create only; fails with EEXIST if the key exists.</summary>
        NoExist = 1,
        /// <summary>BPF_EXIST: replace only; fails with ENOENT if the key is missing.</summary>
        Exist = 2,
        /// <summary>BPF_F_LOCK: take the value's bpf_spin_lock while copying.</summary>
        Lock = 4,
    }
}
