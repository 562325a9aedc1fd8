/* Maps declared the way iproute2 (tc) reads them: a struct bpf_elf_map in SEC("maps"), with its pinning
 * field. The loader must read the 36-byte layout, create the maps and pin the PIN_GLOBAL_NS one by name. */
#include "common.h"

struct bpf_elf_map {
	__u32 type;
	__u32 size_key;
	__u32 size_value;
	__u32 max_elem;
	__u32 flags;
	__u32 id;
	__u32 pinning;
	__u32 inner_id;
	__u32 inner_idx;
};

#define PIN_NONE 0
#define PIN_GLOBAL_NS 2

struct bpf_elf_map SEC("maps") tc_pinned = {
	.type = BPF_MAP_TYPE_ARRAY,
	.size_key = sizeof(__u32),
	.size_value = sizeof(__u64),
	.max_elem = 8,
	.pinning = PIN_GLOBAL_NS,
};

struct bpf_elf_map SEC("maps") tc_private = {
	.type = BPF_MAP_TYPE_PERCPU_ARRAY,
	.size_key = sizeof(__u32),
	.size_value = sizeof(__u32),
	.max_elem = 2,
	.pinning = PIN_NONE,
};

char _license[] SEC("license") = "GPL";

SEC("socket")
int classify(struct __sk_buff *skb)
{
	__u32 key = 1;
	__u64 *seen = bpf_map_lookup_elem(&tc_pinned, &key);
	__u32 *mark = bpf_map_lookup_elem(&tc_private, &key);
	if (seen)
		__sync_fetch_and_add(seen, 1);
	return mark ? *mark : 0;
}
