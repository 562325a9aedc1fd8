/* Compiled by the BpfCompile item of the sample app. */
#include "golden.h"

char _license[] SEC("license") = "GPL";

__u64 hits = 0;

SEC("tracepoint/syscalls/sys_enter_getpid")
int count_getpid(void *ctx)
{
	hits++;
	return 0;
}
