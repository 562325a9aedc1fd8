/* Target of the freplace tests: a socket filter (BPF_PROG_TEST_RUN-able, no expected attach
 * type, which freplace links require) whose result comes from a global function that
 * freplace.bpf.c replaces. */
#include "common.h"

char _license[] SEC("license") = "GPL";

/* Global and not inlined: it keeps its own BTF FUNC (linkage global) and is verified on its
 * own, which is what makes it replaceable. The length keeps clang from folding the call. */
__noinline int freplace_answer(int length)
{
	return length > 0 ? 1 : 2;
}

SEC("socket")
int freplace_target(struct __sk_buff *skb)
{
	return freplace_answer(skb->len);
}
