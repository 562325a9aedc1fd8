/* struct_ops maps whose local types disagree with the kernel's, each in its own optional map so
 * a test enables exactly one: an extra member the kernel lacks, a member of the wrong size, a
 * type the kernel does not have. Flavor suffixes (___x) keep them apart from vmlinux.h. */
#include "common.h"

char _license[] SEC("license") = "GPL";

struct tcp_congestion_ops___extra {
	__u32 (*ssthresh)(struct sock *sk);
	void (*cong_avoid)(struct sock *sk, __u32 ack, __u32 acked);
	__u32 (*undo_cwnd)(struct sock *sk);
	__u32 made_up_member;
	char name[16];
};

struct tcp_congestion_ops___wrong_size {
	__u32 (*ssthresh)(struct sock *sk);
	void (*cong_avoid)(struct sock *sk, __u32 ack, __u32 acked);
	__u32 (*undo_cwnd)(struct sock *sk);
	__u64 flags; /* u32 in the kernel */
	char name[16];
};

struct no_such_ops {
	int (*run)(void);
};

SEC("struct_ops/err_ssthresh")
__u32 BPF_PROG(err_ssthresh, struct sock *sk)
{
	return 2;
}

SEC("struct_ops/err_cong_avoid")
void BPF_PROG(err_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
}

SEC("struct_ops/err_undo_cwnd")
__u32 BPF_PROG(err_undo_cwnd, struct sock *sk)
{
	return 2;
}

SEC("struct_ops/err_run")
int BPF_PROG(err_run)
{
	return 0;
}

/* Non-zero member the kernel lacks: must fail, naming made_up_member. */
SEC("?.struct_ops")
struct tcp_congestion_ops___extra extra_set = {
	.ssthresh = (void *)err_ssthresh,
	.cong_avoid = (void *)err_cong_avoid,
	.undo_cwnd = (void *)err_undo_cwnd,
	.made_up_member = 1,
	.name = "bpfsk_extra",
};

/* Zero member the kernel lacks: allowed. */
SEC("?.struct_ops")
struct tcp_congestion_ops___extra extra_zero = {
	.ssthresh = (void *)err_ssthresh,
	.cong_avoid = (void *)err_cong_avoid,
	.undo_cwnd = (void *)err_undo_cwnd,
	.name = "bpfsk_extra0",
};

SEC("?.struct_ops")
struct tcp_congestion_ops___wrong_size wrong_size = {
	.ssthresh = (void *)err_ssthresh,
	.cong_avoid = (void *)err_cong_avoid,
	.undo_cwnd = (void *)err_undo_cwnd,
	.name = "bpfsk_wrong",
};

SEC("?.struct_ops")
struct no_such_ops unknown_type = {
	.run = (void *)err_run,
};

/* Not a struct_ops program: a struct_ops member must refuse it. */
SEC("tracepoint/syscalls/sys_enter_getpid")
int not_struct_ops(void *ctx)
{
	return 0;
}
