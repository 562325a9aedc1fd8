// SPDX-License-Identifier: MIT
/* The light skeleton benchmark's tracing object: one raw tracepoint counting a process's syscalls into
 * .bss, the process chosen in .rodata. raw_tp, because libbpf's light skeleton attaches raw_tp (not
 * tracepoints) by itself. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char _license[] SEC("license") = "GPL";

const volatile int target_pid = 0;
__u64 syscalls = 0;

SEC("raw_tp/sys_enter")
int count_syscalls(void *ctx)
{
	if ((int)(bpf_get_current_pid_tgid() >> 32) == target_pid)
		__sync_fetch_and_add(&syscalls, 1);
	return 0;
}
