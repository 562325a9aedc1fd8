/* libbpf's optional programs: SEC("?...") has the type of the name after '?', and loads only when
 * asked for (autoload on). */
#include "common.h"

char _license[] SEC("license") = "GPL";

__u64 optional_calls;
__u64 always_calls;
__u64 sleepable_calls;
int target_tgid;

SEC("?tracepoint/syscalls/sys_enter_getppid")
int optional_tp(void *ctx)
{
	if ((bpf_get_current_pid_tgid() >> 32) == target_tgid)
		__sync_fetch_and_add(&optional_calls, 1);
	return 0;
}

/* Optional too, as sleepable tracepoints are new: loaded only where a test finds the kernel has them. */
SEC("?tp.s/syscalls/sys_enter_getppid")
int sleepable_tp(void *ctx)
{
	if ((bpf_get_current_pid_tgid() >> 32) == target_tgid)
		__sync_fetch_and_add(&sleepable_calls, 1);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int always_tp(void *ctx)
{
	if ((bpf_get_current_pid_tgid() >> 32) == target_tgid)
		__sync_fetch_and_add(&always_calls, 1);
	return 0;
}
