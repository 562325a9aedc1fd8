namespace BpfSkeleton
{
    /// <summary>The kind of a BPF map.</summary>
    /// <remarks>Values match <c>enum bpf_map_type</c> of the Linux 6.18 UAPI (include/uapi/linux/bpf.h).</remarks>
    public enum BpfMapType : uint
    {
        /// <summary><c>BPF_MAP_TYPE_UNSPEC</c>: Not a valid type.</summary>
        Unspec = 0,

        /// <summary><c>BPF_MAP_TYPE_HASH</c>: Hash table with arbitrary keys.</summary>
        Hash = 1,

        /// <summary><c>BPF_MAP_TYPE_ARRAY</c>: Array indexed by a u32 key, preallocated and zero-filled.</summary>
        Array = 2,

        /// <summary><c>BPF_MAP_TYPE_PROG_ARRAY</c>: Array of program fds for tail calls.</summary>
        ProgArray = 3,

        /// <summary><c>BPF_MAP_TYPE_PERF_EVENT_ARRAY</c>: Per-CPU perf event buffers (bpf_perf_event_output).</summary>
        PerfEventArray = 4,

        /// <summary><c>BPF_MAP_TYPE_PERCPU_HASH</c>: Hash table with one value slot per possible CPU.</summary>
        PerCpuHash = 5,

        /// <summary><c>BPF_MAP_TYPE_PERCPU_ARRAY</c>: Array with one value slot per possible CPU.</summary>
        PerCpuArray = 6,

        /// <summary><c>BPF_MAP_TYPE_STACK_TRACE</c>: Stack traces captured with bpf_get_stackid.</summary>
        StackTrace = 7,

        /// <summary><c>BPF_MAP_TYPE_CGROUP_ARRAY</c>: Array of cgroup fds.</summary>
        CgroupArray = 8,

        /// <summary><c>BPF_MAP_TYPE_LRU_HASH</c>: Hash table evicting least recently used entries.</summary>
        LruHash = 9,

        /// <summary><c>BPF_MAP_TYPE_LRU_PERCPU_HASH</c>: Per-CPU LRU hash table.</summary>
        LruPerCpuHash = 10,

        /// <summary><c>BPF_MAP_TYPE_LPM_TRIE</c>: Longest-prefix-match trie.</summary>
        LpmTrie = 11,

        /// <summary><c>BPF_MAP_TYPE_ARRAY_OF_MAPS</c>: Array whose values are inner maps.</summary>
        ArrayOfMaps = 12,

        /// <summary><c>BPF_MAP_TYPE_HASH_OF_MAPS</c>: Hash table whose values are inner maps.</summary>
        HashOfMaps = 13,

        /// <summary><c>BPF_MAP_TYPE_DEVMAP</c>: Array of net devices for XDP redirect.</summary>
        DevMap = 14,

        /// <summary><c>BPF_MAP_TYPE_SOCKMAP</c>: Array of sockets for redirect.</summary>
        SockMap = 15,

        /// <summary><c>BPF_MAP_TYPE_CPUMAP</c>: CPUs for XDP redirect.</summary>
        CpuMap = 16,

        /// <summary><c>BPF_MAP_TYPE_XSKMAP</c>: AF_XDP sockets.</summary>
        XskMap = 17,

        /// <summary><c>BPF_MAP_TYPE_SOCKHASH</c>: Hash of sockets for redirect.</summary>
        SockHash = 18,

        /// <summary><c>BPF_MAP_TYPE_CGROUP_STORAGE_DEPRECATED</c>: Cgroup-local storage (deprecated in favour of CgrpStorage).</summary>
        CgroupStorage = 19,

        /// <summary><c>BPF_MAP_TYPE_REUSEPORT_SOCKARRAY</c>: Sockets for SO_REUSEPORT selection.</summary>
        ReusePortSockArray = 20,

        /// <summary><c>BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE_DEPRECATED</c>: Per-CPU cgroup-local storage (deprecated).</summary>
        PerCpuCgroupStorage = 21,

        /// <summary><c>BPF_MAP_TYPE_QUEUE</c>: FIFO queue without keys.</summary>
        Queue = 22,

        /// <summary><c>BPF_MAP_TYPE_STACK</c>: LIFO stack without keys.</summary>
        Stack = 23,

        /// <summary><c>BPF_MAP_TYPE_SK_STORAGE</c>: Socket-local storage.</summary>
        SkStorage = 24,

        /// <summary><c>BPF_MAP_TYPE_DEVMAP_HASH</c>: Hash of net devices for XDP redirect.</summary>
        DevMapHash = 25,

        /// <summary><c>BPF_MAP_TYPE_STRUCT_OPS</c>: A kernel struct of function pointers implemented by BPF programs.</summary>
        StructOps = 26,

        /// <summary><c>BPF_MAP_TYPE_RINGBUF</c>: Multi-producer single-consumer ring buffer shared with user space.</summary>
        Ringbuf = 27,

        /// <summary><c>BPF_MAP_TYPE_INODE_STORAGE</c>: Inode-local storage.</summary>
        InodeStorage = 28,

        /// <summary><c>BPF_MAP_TYPE_TASK_STORAGE</c>: Task-local storage.</summary>
        TaskStorage = 29,

        /// <summary><c>BPF_MAP_TYPE_BLOOM_FILTER</c>: Bloom filter.</summary>
        BloomFilter = 30,

        /// <summary><c>BPF_MAP_TYPE_USER_RINGBUF</c>: Ring buffer written by user space and drained by BPF.</summary>
        UserRingbuf = 31,

        /// <summary><c>BPF_MAP_TYPE_CGRP_STORAGE</c>: Cgroup-local storage.</summary>
        CgrpStorage = 32,

        /// <summary><c>BPF_MAP_TYPE_ARENA</c>: Sparse shared memory region addressable by BPF and user space.</summary>
        Arena = 33,
    }
}
