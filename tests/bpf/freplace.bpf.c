/* Replacements for freplace_target.bpf.c's global function: an extension (freplace) with the
 * same prototype, and fentry/fexit programs that trace the target program's function. They name
 * their target in the section; the tests give the target program with SetAttachTarget. */
#include "common.h"

char _license[] SEC("license") = "GPL";

__u64 fentry_calls = 0;

SEC("freplace/freplace_answer")
int new_answer(int length)
{
	return 42;
}

SEC("fentry/freplace_answer")
int BPF_PROG(on_answer_entry, int length)
{
	fentry_calls++;
	return 0;
}
