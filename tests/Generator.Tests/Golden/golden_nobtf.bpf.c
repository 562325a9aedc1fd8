/* Golden object compiled without -g: no BTF, so only an untyped skeleton is possible. */
#include "golden.h"

char _license[] SEC("license") = "GPL";

__u64 calls = 0;

SEC("tracepoint/syscalls/sys_enter_getpid")
int count_calls(void *ctx)
{
	calls++;
	return 0;
}
