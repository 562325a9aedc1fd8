/* A prog array whose initial slot names a plain .text function, which is no program of the object: libbpf
 * refuses this at open, and so must we (the load used to fail later with a KeyNotFoundException). */
#include "common.h"

char _license[] SEC("license") = "GPL";

__attribute__((noinline)) int not_a_program(void *ctx)
{
	return 7;
}

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__array(values, int(void *));
} table SEC(".maps") = {
	.values = { [0] = (void *)&not_a_program },
};

SEC("syscall")
int entry(void *ctx)
{
	bpf_tail_call(ctx, &table, 0);
	return not_a_program(ctx);
}
