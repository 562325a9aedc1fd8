/* A uprobe and a uretprobe on one user-space function: libc's atoi(). The entry probe saves the
 * argument per thread; the return probe completes the call with the result and its latency and
 * sends it to user space through a perf buffer. C# attaches both to its own process only. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h> /* BPF_KPROBE/BPF_KRETPROBE decode uprobe registers too */

char _license[] SEC("license") = "GPL";

#define TEXT_LEN 32

struct call {
	char text[TEXT_LEN];  /* atoi's argument */
	int result;           /* its return value */
	__u64 start_ns;
	__u64 duration_ns;
};

/* Calls in progress, by thread id: entry and return probes of one call run on the same thread. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct call);
} in_flight SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} completed SEC(".maps");

__u64 entries = 0;
__u64 returns = 0;

SEC("uprobe")
int BPF_KPROBE(atoi_entry, const char *text)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct call call = {};

	__sync_fetch_and_add(&entries, 1);
	bpf_probe_read_user_str(call.text, sizeof(call.text), text);
	call.start_ns = bpf_ktime_get_ns();
	bpf_map_update_elem(&in_flight, &tid, &call, BPF_ANY);
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(atoi_return, int result)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct call *call = bpf_map_lookup_elem(&in_flight, &tid);

	__sync_fetch_and_add(&returns, 1);
	if (!call)
		return 0; /* entered before the probes were attached */
	call->result = result;
	call->duration_ns = bpf_ktime_get_ns() - call->start_ns;
	bpf_perf_event_output(ctx, &completed, BPF_F_CURRENT_CPU, call, sizeof(*call));
	bpf_map_delete_elem(&in_flight, &tid);
	return 0;
}
