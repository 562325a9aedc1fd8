/* Process lifecycle tracing, as in libbpf-bootstrap: an event per exec and per exit through a
 * ring buffer, with each process's lifetime measured from its exec. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

char _license[] SEC("license") = "GPL";

#define TASK_COMM_LEN 16
#define MAX_FILENAME_LEN 127

struct event {
	int pid;
	int ppid;
	unsigned int exit_code;
	unsigned long long exec_time_ns;  /* bpf_ktime_get_ns() at exec; 0 if it exec'd before tracing */
	unsigned long long duration_ns;   /* exit events: time since exec, when known */
	char comm[TASK_COMM_LEN];
	char filename[MAX_FILENAME_LEN];
	bool exit_event;
};

/* Exits of processes that lived shorter than this are not reported (0: report all). */
const volatile unsigned long long min_duration_ns = 0;

/* Processes that exec'd while tracing, by pid: their exec event, until they exit. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, int);
	__type(value, struct event);
} running SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

SEC("tracepoint/sched/sched_process_exec")
int handle_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	unsigned int filename_offset = ctx->__data_loc_filename & 0xFFFF;
	struct event e = {};

	e.pid = bpf_get_current_pid_tgid() >> 32;
	e.ppid = BPF_CORE_READ(task, real_parent, tgid);
	e.exec_time_ns = bpf_ktime_get_ns();
	bpf_get_current_comm(&e.comm, sizeof(e.comm));
	bpf_probe_read_kernel_str(&e.filename, sizeof(e.filename), (void *)ctx + filename_offset);

	bpf_map_update_elem(&running, &e.pid, &e, BPF_ANY);
	if (!min_duration_ns)
		bpf_ringbuf_output(&events, &e, sizeof(e), 0);
	return 0;
}

SEC("tracepoint/sched/sched_process_exit")
int handle_exit(struct trace_event_raw_sched_process_template *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u64 id = bpf_get_current_pid_tgid();
	int pid = id >> 32;
	struct event *started, *e;
	__u64 duration_ns = 0;

	if (pid != (__u32)id)
		return 0; /* a thread, not the whole process */

	started = bpf_map_lookup_elem(&running, &pid);
	if (started)
		duration_ns = bpf_ktime_get_ns() - started->exec_time_ns;
	else if (min_duration_ns)
		return 0; /* lifetime unknown */
	if (min_duration_ns && duration_ns < min_duration_ns)
		goto forget;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		goto forget;
	if (started)
		__builtin_memcpy(e, started, sizeof(*e));
	else
		__builtin_memset(e, 0, sizeof(*e));
	e->pid = pid;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->exit_code = (BPF_CORE_READ(task, exit_code) >> 8) & 0xff;
	e->duration_ns = duration_ns;
	e->exit_event = true;
	bpf_get_current_comm(&e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, 0);
forget:
	bpf_map_delete_elem(&running, &pid);
	return 0;
}
