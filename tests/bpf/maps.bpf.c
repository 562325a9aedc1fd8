/* Every map kind that a BTF map definition can describe, each used by a program so clang
 * keeps it: plain, per-CPU and LRU hashes and arrays, ring buffers, perf events, tail calls
 * with initial slots, stack traces, queue/stack, bloom filter (map_extra), LPM trie
 * (BPF_F_NO_PREALLOC), socket maps, devmap/cpumap, map-in-map with an inner map template and
 * initial slots, local storages, user ring buffer; one pinned map and one with a NUMA node. */
#include "common.h"

char _license[] SEC("license") = "GPL";

struct value {
	__u64 count;
	__u32 flags;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct value);
	/* Per-CPU maps reject a NUMA node; a plain array takes one. */
	__uint(numa_node, 0);
	__uint(map_flags, BPF_F_NUMA_NODE);
} array_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u64);
	__type(value, struct value);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} pinned_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} percpu_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} percpu_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 32);
	__type(key, __u32);
	__type(value, __u64);
} lru_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, 32);
	__type(key, __u32);
	__type(value, __u64);
} lru_percpu_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} ringbuf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 4096);
} user_ringbuf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} perf_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 16);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, 127 * sizeof(__u64));
} stack_traces SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 8);
	__type(value, __u32);
} queue SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__uint(max_entries, 8);
	__type(value, __u32);
} stack SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 64);
	__type(value, __u32);
	__uint(map_extra, 3); /* number of hash functions */
} bloom SEC(".maps");

struct lpm_key {
	__u32 prefixlen;
	__u32 addr;
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 16);
	__type(key, struct lpm_key);
	__type(value, __u32);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} lpm SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SOCKMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} sockmap SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} sockhash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} devmap SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct bpf_cpumap_val);
} cpumap SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} task_storage SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_INODE_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} inode_storage SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} sk_storage SEC(".maps");

/* Map-in-map: the inner definition is the template, initial slots name concrete maps. */
struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
};

struct inner inner_a SEC(".maps");
struct inner inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 3);
	__type(key, __u32);
	__array(values, struct inner);
} outer_array SEC(".maps") = {
	.values = { [0] = &inner_a, [2] = &inner_b },
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct inner);
} outer_hash SEC(".maps") = {
	.values = { [1] = &inner_b },
};

int tail_target(void *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, sizeof(__u32));
	__array(values, int(void *));
} jump_table SEC(".maps") = {
	.values = { [1] = (void *)&tail_target },
};

static long drain_one(struct bpf_dynptr *dynptr, void *ctx)
{
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int use_data_maps(void *ctx)
{
	__u32 key = 0, v32 = 1;
	__u64 key64 = 1, one = 1;
	struct value *val, init = {};
	struct lpm_key lk = { .prefixlen = 32, .addr = 0x0100007f };
	void *inner;

	val = bpf_map_lookup_elem(&array_map, &key);
	if (val)
		val->count++;
	bpf_map_update_elem(&pinned_hash, &key64, &init, BPF_ANY);
	bpf_map_lookup_elem(&percpu_array, &key);
	bpf_map_update_elem(&percpu_hash, &key, &one, BPF_ANY);
	bpf_map_update_elem(&lru_hash, &key, &one, BPF_ANY);
	bpf_map_update_elem(&lru_percpu_hash, &key, &one, BPF_ANY);
	bpf_ringbuf_output(&ringbuf, &one, sizeof(one), 0);
	bpf_perf_event_output(ctx, &perf_events, BPF_F_CURRENT_CPU, &one, sizeof(one));
	bpf_get_stackid(ctx, &stack_traces, 0);
	bpf_map_push_elem(&queue, &v32, BPF_EXIST);
	bpf_map_push_elem(&stack, &v32, BPF_EXIST);
	bpf_map_push_elem(&bloom, &v32, BPF_ANY);
	bpf_map_lookup_elem(&lpm, &lk);
	inner = bpf_map_lookup_elem(&outer_array, &key);
	if (inner)
		bpf_map_lookup_elem(inner, &key);
	inner = bpf_map_lookup_elem(&outer_hash, &key);
	if (inner)
		bpf_map_lookup_elem(inner, &key);
	bpf_tail_call(ctx, &jump_table, 1);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int tail_target(void *ctx)
{
	return 1;
}

SEC("syscall")
int drain_user_ringbuf(void *ctx)
{
	return bpf_user_ringbuf_drain(&user_ringbuf, drain_one, NULL, 0);
}

SEC("sk_msg")
int redirect_msg(struct sk_msg_md *msg)
{
	__u32 key = 0;

	if (msg->size > 100)
		return bpf_msg_redirect_map(msg, &sockmap, key, 0);
	return bpf_msg_redirect_hash(msg, &sockhash, &key, 0);
}

SEC("xdp")
int redirect_xdp(struct xdp_md *ctx)
{
	if (ctx->rx_queue_index & 1)
		return bpf_redirect_map(&cpumap, 0, XDP_PASS);
	return bpf_redirect_map(&devmap, 0, XDP_PASS);
}

SEC("lsm/inode_unlink")
int BPF_PROG(on_unlink, struct inode *dir, struct dentry *victim)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u64 *count;

	count = bpf_task_storage_get(&task_storage, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (count)
		*count += 1;
	count = bpf_inode_storage_get(&inode_storage, victim->d_inode, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (count)
		*count += 1;
	return 0;
}

SEC("lsm/socket_bind")
int BPF_PROG(on_bind, struct socket *sock, struct sockaddr *address, int addrlen)
{
	__u64 *count = bpf_sk_storage_get(&sk_storage, sock->sk, 0, BPF_SK_STORAGE_GET_F_CREATE);

	if (count)
		*count += 1;
	return 0;
}
