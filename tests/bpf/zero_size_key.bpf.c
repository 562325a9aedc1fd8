/* A queue whose key is declared __uint(key, 0): a zero-length array type, key size 0, as some third-party
 * objects spell "no key". libbpf accepts it; so must we. */
#include "common.h"

char _license[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(key, 0);
	__type(value, __u32);
	__uint(max_entries, 8);
} pending SEC(".maps");

SEC("syscall")
int push_two(void *ctx)
{
	__u32 value = 41;
	bpf_map_push_elem(&pending, &value, 0);
	value = 42;
	bpf_map_push_elem(&pending, &value, 0);
	return 0;
}
