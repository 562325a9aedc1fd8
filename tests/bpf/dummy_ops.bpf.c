/* bpf_dummy_ops: struct_ops programs that BPF_PROG_TEST_RUN can call directly. */
#include "common.h"

char _license[] SEC("license") = "GPL";

int test_1_result = 0;

SEC("struct_ops/dummy_test_1")
int BPF_PROG(dummy_test_1, struct bpf_dummy_ops_state *state)
{
	int ret = 0;

	if (state)
		ret = state->val + 40;
	test_1_result = ret;
	return ret;
}

SEC("struct_ops/dummy_test_2")
int BPF_PROG(dummy_test_2, struct bpf_dummy_ops_state *state, int a1, unsigned short a2,
	     char a3, unsigned long a4)
{
	return a1 + a2 + a3 + (int)a4;
}

SEC("struct_ops.s/dummy_sleepable")
int BPF_PROG(dummy_sleepable, struct bpf_dummy_ops_state *state)
{
	return 7;
}

SEC(".struct_ops")
struct bpf_dummy_ops dummy = {
	.test_1 = (void *)dummy_test_1,
	.test_2 = (void *)dummy_test_2,
	.test_sleepable = (void *)dummy_sleepable,
};
