/* The smallest useful BPF program: count this process's write() calls from a tracepoint.
 * C# sets target_pid (.rodata) before load and reads the counters (.bss) while it runs. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char _license[] SEC("license") = "GPL";

const volatile int target_pid = 0;

__u64 writes = 0;
__u64 bytes_requested = 0;

SEC("tracepoint/syscalls/sys_enter_write")
int count_write(struct trace_event_raw_sys_enter *ctx)
{
	int pid = bpf_get_current_pid_tgid() >> 32;

	if (pid != target_pid)
		return 0;
	__sync_fetch_and_add(&writes, 1);
	__sync_fetch_and_add(&bytes_requested, ctx->args[2]); /* write(fd, buf, count) */
	return 0;
}
