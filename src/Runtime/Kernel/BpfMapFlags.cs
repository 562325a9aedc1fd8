using System;

namespace BpfSkeleton.Kernel
{
    /// <summary>BPF_MAP_CREATE map_flags (6.18 UAPI).</summary>
    [Flags]
    public enum BpfMapFlags : uint
    {
        /// <summary>No flags.</summary>
        None = 0,
        /// <summary>BPF_F_NO_PREALLOC: allocate hash elements on demand.</summary>
        NoPrealloc = 1u << 0,
        /// <summary>BPF_F_NO_COMMON_LRU: one LRU list per CPU.</summary>
        NoCommonLru = 1u << 1,
        /// <summary>BPF_F_NUMA_NODE: honour the numa_node attribute.</summary>
        NumaNode = 1u << 2,
        /// <summary>BPF_F_RDONLY: read-only from system calls.</summary>
        ReadOnly = 1u << 3,
        /// <summary>BPF_F_WRONLY: write-only from system calls.</summary>
        WriteOnly = 1u << 4,
        /// <summary>BPF_F_STACK_BUILD_ID: stack maps store build id + offset.</summary>
        StackBuildId = 1u << 5,
        /// <summary>BPF_F_ZERO_SEED: zero hash seed (testing only).</summary>
        ZeroSeed = 1u << 6,
        /// <summary>BPF_F_RDONLY_PROG: read-only from programs.</summary>
        ReadOnlyProgram = 1u << 7,
        /// <summary>BPF_F_WRONLY_PROG: write-only from programs.</summary>
        WriteOnlyProgram = 1u << 8,
        /// <summary>BPF_F_CLONE: clone socket storage to accepted sockets.</summary>
        Clone = 1u << 9,
        /// <summary>BPF_F_MMAPABLE: the array can be mmap()ed by user space.</summary>
        Mmapable = 1u << 10,
        /// <summary>BPF_F_PRESERVE_ELEMS: keep perf event array entries when the fd closes.</summary>
        PreserveElements = 1u << 11,
        /// <summary>BPF_F_INNER_MAP: usable as an inner map with a different max_entries.</summary>
        InnerMap = 1u << 12,
        /// <summary>BPF_F_LINK: a struct_ops map registered through a link.</summary>
        Link = 1u << 13,
        /// <summary>BPF_F_PATH_FD (pin/get only).</summary>
        PathFd = 1u << 14,
        /// <summary>BPF_F_VTYPE_BTF_OBJ_FD: value_type_btf_obj_fd is set.</summary>
        ValueTypeBtfObjectFd = 1u << 15,
        /// <summary>BPF_F_TOKEN_FD: a BPF token fd is passed.</summary>
        TokenFd = 1u << 16,
        /// <summary>BPF_F_SEGV_ON_FAULT (arena).</summary>
        SegvOnFault = 1u << 17,
        /// <summary>BPF_F_NO_USER_CONV (arena).</summary>
        NoUserConversion = 1u << 18,
    }
}
