/* Global data in every section kind, subprograms, callbacks and a few map kinds,
 * driven through BPF_PROG_TEST_RUN and tracepoints. */
#include "common.h"

char _license[] SEC("license") = "Dual BSD/GPL";

struct point {
	int x;
	int y;
};

enum color { RED = 1, GREEN = 2, BLUE = 4 };

/* .bss */
__u64 bss_counter = 0;
struct point bss_point = {};
/* .data */
__u32 data_value = 42;
char data_name[16] = "hello";
/* .rodata */
const volatile __u32 rodata_multiplier = 3;
const volatile enum color rodata_color = GREEN;
/* custom sections */
__u64 custom_data SEC(".data.custom") = 7;
const volatile __u64 custom_rodata SEC(".rodata.custom") = 11;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 128);
	__type(key, __u32);
	__type(value, struct point);
} points SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} percpu SEC(".maps");

static __noinline int scale(int v)
{
	return v * (int)rodata_multiplier;
}

static int sum_cb(__u32 index, void *ctx)
{
	*(__u64 *)ctx += index;
	return 0;
}

SEC("syscall")
int run_globals(void *ctx)
{
	__u32 key = 0;
	__u64 *slot;
	__u64 sum = 0;
	struct point p;

	bss_counter += 1;
	bss_point.x = scale(data_value);
	bss_point.y = custom_data + custom_rodata;
	p = bss_point;
	bpf_map_update_elem(&points, &key, &p, BPF_ANY);
	slot = bpf_map_lookup_elem(&counters, &key);
	if (slot)
		*slot += 1;
	bpf_loop(10, sum_cb, &sum, 0);
	custom_data = sum;
	return scale(1);
}

SEC("tracepoint/syscalls/sys_enter_getpid")
int on_getpid(void *ctx)
{
	__u32 key = 1;
	__u64 *slot = bpf_map_lookup_elem(&counters, &key);

	if (slot)
		__sync_fetch_and_add(slot, 1);
	return 0;
}

SEC("xdp")
int count_xdp(struct xdp_md *ctx)
{
	__u32 key = 2;
	__u64 *slot = bpf_map_lookup_elem(&counters, &key);

	if (slot)
		__sync_fetch_and_add(slot, 1);
	return XDP_PASS;
}
