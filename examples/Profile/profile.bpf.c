/* Samples what every CPU is running, from a perf event (software CPU clock) per CPU: the process
 * and its kernel stack, sent to user space through a ring buffer. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char _license[] SEC("license") = "GPL";

#define TASK_COMM_LEN 16
#define MAX_STACK_DEPTH 32

struct stack_sample {
	__u32 pid;
	__u32 cpu;
	char comm[TASK_COMM_LEN];
	__s32 kernel_stack_bytes;  /* bytes of kernel_stack filled, or a negative error */
	__u32 padding;
	__u64 kernel_stack[MAX_STACK_DEPTH];
};

/* Where a sample is assembled: it is too large for the 512-byte BPF stack. One slot per CPU,
 * and a CPU's perf event program cannot interrupt itself. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct stack_sample);
} scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 512 * 1024);
} samples SEC(".maps");

__u64 dropped = 0;

SEC("perf_event")
int sample_stack(struct bpf_perf_event_data *ctx)
{
	__u32 zero = 0;
	struct stack_sample *s = bpf_map_lookup_elem(&scratch, &zero);

	if (!s)
		return 0;
	s->pid = bpf_get_current_pid_tgid() >> 32;
	s->cpu = bpf_get_smp_processor_id();
	bpf_get_current_comm(s->comm, sizeof(s->comm));
	s->kernel_stack_bytes = bpf_get_stack(ctx, s->kernel_stack, sizeof(s->kernel_stack), 0);
	if (bpf_ringbuf_output(&samples, s, sizeof(*s), 0))
		__sync_fetch_and_add(&dropped, 1);
	return 0;
}
