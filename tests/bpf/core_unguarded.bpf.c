/* Reads a field the kernel lacks without a guard: its CO-RE relocation is poisoned and the
 * verifier reaches the poisoned call, so the load must fail naming that relocation. */
#include "common.h"

char _license[] SEC("license") = "GPL";

struct task_struct___local {
	int does_not_exist;
} __attribute__((preserve_access_index));

__u64 value = 0;

SEC("raw_tp")
int core_unguarded(void *ctx)
{
	struct task_struct___local *local = (void *)bpf_get_current_task();

	value = BPF_CORE_READ(local, does_not_exist);
	return 0;
}
