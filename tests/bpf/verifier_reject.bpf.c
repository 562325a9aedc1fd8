/* A program the verifier must reject (a map value used without a NULL check), loaded after
 * maps and global data exist, so a failed load has something to clean up. */
#include "common.h"

char _license[] SEC("license") = "GPL";

__u64 before_failure = 1; /* .data */

struct {
	__uint(type, BPF_MAP_TYPE_HASH); /* array lookups with a constant key are known non-NULL since 6.13 */
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} values SEC(".maps");

SEC("syscall")
int accepted(void *ctx)
{
	before_failure++;
	return 0;
}

SEC("syscall")
int rejected(void *ctx)
{
	__u32 key = 0;
	__u64 *value = bpf_map_lookup_elem(&values, &key);

	return *value; /* no NULL check: R0 invalid mem access 'map_value_or_null' */
}
