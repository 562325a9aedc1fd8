/* The map types maps.bpf.c leaves out: cgroup array, XSK map, devmap hash, reuseport socket
 * array, the cgroup storages (legacy, per-CPU and cgrp_storage), an arena with an __arena global,
 * a bloom filter whose map_extra is declared with __ulong, a global data section to resize and a
 * hash whose values hold a spin lock.
 * Syscall programs take a page of the arena and bump the global, so a test can watch the BPF side
 * use the memory the loader mapped. */
#include "common.h"

char _license[] SEC("license") = "GPL";

/* libbpf 1.3's __ulong; Debian's libbpf 1.1 headers do not have it yet. */
#define MT_CONCAT_(a, b) a##b
#define MT_CONCAT(a, b) MT_CONCAT_(a, b)
#define __ulong(name, val) enum { MT_CONCAT(__unique_value, __COUNTER__) = val } name

struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 2);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} cgroups SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} xsks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
} devmap_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_REUSEPORT_SOCKARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} reuseport SEC(".maps");

/* Cgroup storages take no max_entries: one element per attached cgroup. */
struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_STORAGE);
	__type(key, struct bpf_cgroup_storage_key);
	__type(value, __u64);
} cg_storage SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE);
	__type(key, __u64);
	__type(value, __u64);
} cg_percpu_storage SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CGRP_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} cgrp_storage SEC(".maps");

/* A value with a spin lock: user space reads and writes it whole with BPF_F_LOCK. */
struct locked_value {
	struct bpf_spin_lock lock;
	__u32 pad;
	__u64 count;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct locked_value);
} locked SEC(".maps");

/* Four pages; map_extra 0 lets the kernel choose the address, which the loader's mmap fixes. */
struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 4);
} arena SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 16);
	__type(value, __u32);
	__ulong(map_extra, 5);
} bloom_ulong SEC(".maps");

void *bpf_arena_alloc_pages(void *map, void *addr, __u32 page_cnt, int node_id, __u64 flags) __ksym;

/* The verifier hands out arena memory as a user address (a scalar); a program dereferences it
 * after addr_space_cast(r, 0, 1), which clang emits for __arena pointers only from LLVM 18 on.
 * For clang 14 the instruction is spelled out: ALU64|MOV|X on r1, off 1 (BPF_ADDR_SPACE_CAST),
 * imm 1 (from address space 1 to 0). */
static __always_inline void *cast_kern(void *user_address)
{
	register void *reg asm("r1") = user_address;

	asm volatile(".quad 0x00000001000111bf" : "+r"(reg));
	return reg;
}

/* Where the arena page landed (a user address inside the loader's mapping), 0 until run. */
__u64 arena_page;

SEC("syscall")
int arena_write(void *ctx)
{
	__u32 *page = bpf_arena_alloc_pages(&arena, NULL, 1, -1, 0);

	if (!page)
		return 1;
	arena_page = (__u64)page;
	page = cast_kern(page);
	page[0] = 0xa7e4a;
	page[1] = 42;
	return 0;
}

/* An __arena global: clang 18 places address-space-1 globals in .addr_space.1 by itself, clang 14
 * when told to. The loader copies its initial value into the arena. */
#define __arena __attribute__((address_space(1)))
__u64 __arena arena_counter SEC(".addr_space.1") = 7;
__u64 arena_counter_seen;
__u64 arena_counter_address;

SEC("syscall")
int arena_global(void *ctx)
{
	/* Through an integer: clang 14 cannot lower a cast between address spaces. */
	__u64 *counter = cast_kern((void *)(unsigned long)&arena_counter);

	arena_counter_address = (unsigned long)&arena_counter;
	*counter += 1;
	arena_counter_seen = *counter;
	return 0;
}

/* A section a loader may resize before load (libbpf's bpf_map__set_value_size): its last variable is
 * an array, and the program sums as many elements as .rodata says (a verifier constant once frozen). */
const volatile __u32 resizable_len = 2;
__u64 resizable_values[2] SEC(".data.resizable") = { 10, 20 };
__u64 resizable_sum;

SEC("syscall")
int sum_resizable(void *ctx)
{
	__u64 sum = 0;

	for (__u32 i = 0; i < 64; i++) {
		if (i >= resizable_len)
			break;
		sum += resizable_values[i];
	}
	resizable_sum = sum;
	return 0;
}

SEC("cgroup_skb/egress")
int count_egress(struct __sk_buff *skb)
{
	__u64 *shared = bpf_get_local_storage(&cg_storage, 0);
	__u64 *mine = bpf_get_local_storage(&cg_percpu_storage, 0);

	__sync_fetch_and_add(shared, 1);
	*mine += 1;
	return 1;
}
