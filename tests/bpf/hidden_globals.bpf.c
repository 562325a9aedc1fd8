/* Globals a skeleton must not expose, as bpftool's does not: a __hidden global (hidden visibility, which
 * libbpf treats as static), and a section holding only a static variable (no view class at all). */
#include "common.h"

char _license[] SEC("license") = "GPL";

__u64 visible_counter = 1;
__attribute__((visibility("hidden"))) __u64 hidden_counter = 2;
static __u64 only_static SEC(".data.private") = 3;

SEC("syscall")
int bump(void *ctx)
{
	visible_counter += hidden_counter + only_static;
	hidden_counter++;
	only_static++;
	return 0;
}
