/* Sends an event to user space for every program started (exec) on this machine. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

#define TASK_COMM_LEN 16

struct event {
	int pid;
	char comm[TASK_COMM_LEN];
};

/* A ring buffer: events reach user space in order, without a copy per CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

/* Set from C# before Load (.rodata): the verifier sees it as a constant. */
const volatile int ignored_pid = 0;

/* Counted in .bss, read from C# while running. */
__u64 exec_count = 0;

/* Makes struct event part of the object's BTF, so the skeleton has a typed ExecSkeleton.Event. */
struct event unused_event __attribute__((unused));

SEC("tracepoint/sched/sched_process_exec")
int handle_exec(void *ctx)
{
	int pid = bpf_get_current_pid_tgid() >> 32;
	if (pid == ignored_pid)
		return 0;
	__sync_fetch_and_add(&exec_count, 1);

	struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->pid = pid;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, 0);
	return 0;
}
