/* A Reno-like congestion control with a tunable, registered through struct_ops.
 * Two maps of the same type: a plain .struct_ops map (registered by map update) and a
 * .struct_ops.link map (registered through a BPF link), plus an optional ?.struct_ops map
 * that is not created unless asked. Two cong_avoid implementations to swap between. */
#include "common.h"

char _license[] SEC("license") = "GPL";

/* Callback counters, read from user space through the mmapped .bss. */
__u64 init_calls = 0;
__u64 ssthresh_calls = 0;
__u64 cong_avoid_calls = 0;
__u64 cong_avoid_alt_calls = 0;
__u64 undo_calls = 0;
__u64 cwnd_event_calls = 0;
__u64 set_state_calls = 0;
__u32 last_cwnd = 0;

/* Tunable written before load. */
const volatile __u32 ssthresh_floor = 2;

static __always_inline struct tcp_sock *tcp_sk_of(struct sock *sk)
{
	return (struct tcp_sock *)sk;
}

SEC("struct_ops/cc_init")
void BPF_PROG(cc_init, struct sock *sk)
{
	__sync_fetch_and_add(&init_calls, 1);
}

SEC("struct_ops/cc_ssthresh")
__u32 BPF_PROG(cc_ssthresh, struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk_of(sk);
	__u32 half = tp->snd_cwnd >> 1;

	__sync_fetch_and_add(&ssthresh_calls, 1);
	return half > ssthresh_floor ? half : ssthresh_floor;
}

static __always_inline void reno_avoid(struct sock *sk, __u32 acked)
{
	struct tcp_sock *tp = tcp_sk_of(sk);

	if (tp->snd_cwnd < tp->snd_ssthresh) {
		tp->snd_cwnd += acked;
	} else {
		tp->snd_cwnd_cnt += acked;
		if (tp->snd_cwnd_cnt >= tp->snd_cwnd) {
			tp->snd_cwnd_cnt = 0;
			tp->snd_cwnd += 1;
		}
	}
	if (tp->snd_cwnd > tp->snd_cwnd_clamp)
		tp->snd_cwnd = tp->snd_cwnd_clamp;
	last_cwnd = tp->snd_cwnd;
}

SEC("struct_ops/cc_cong_avoid")
void BPF_PROG(cc_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
	__sync_fetch_and_add(&cong_avoid_calls, 1);
	reno_avoid(sk, acked);
}

SEC("struct_ops/cc_cong_avoid_alt")
void BPF_PROG(cc_cong_avoid_alt, struct sock *sk, __u32 ack, __u32 acked)
{
	__sync_fetch_and_add(&cong_avoid_alt_calls, 1);
	reno_avoid(sk, acked);
}

SEC("struct_ops/cc_undo_cwnd")
__u32 BPF_PROG(cc_undo_cwnd, struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk_of(sk);

	__sync_fetch_and_add(&undo_calls, 1);
	return tp->snd_cwnd > tp->prior_cwnd ? tp->snd_cwnd : tp->prior_cwnd;
}

SEC("struct_ops/cc_cwnd_event")
void BPF_PROG(cc_cwnd_event, struct sock *sk, enum tcp_ca_event ev)
{
	__sync_fetch_and_add(&cwnd_event_calls, 1);
}

SEC("struct_ops/cc_set_state")
void BPF_PROG(cc_set_state, struct sock *sk, __u8 new_state)
{
	__sync_fetch_and_add(&set_state_calls, 1);
}

SEC(".struct_ops")
struct tcp_congestion_ops plain_cc = {
	.init = (void *)cc_init,
	.ssthresh = (void *)cc_ssthresh,
	.cong_avoid = (void *)cc_cong_avoid,
	.undo_cwnd = (void *)cc_undo_cwnd,
	.cwnd_event = (void *)cc_cwnd_event,
	.set_state = (void *)cc_set_state,
	.name = "bpfsk_plain",
};

SEC(".struct_ops.link")
struct tcp_congestion_ops link_cc = {
	.init = (void *)cc_init,
	.ssthresh = (void *)cc_ssthresh,
	.cong_avoid = (void *)cc_cong_avoid,
	.undo_cwnd = (void *)cc_undo_cwnd,
	.cwnd_event = (void *)cc_cwnd_event,
	.set_state = (void *)cc_set_state,
	.name = "bpfsk_link",
};

SEC(".struct_ops.link")
struct tcp_congestion_ops link_cc_alt = {
	.init = (void *)cc_init,
	.ssthresh = (void *)cc_ssthresh,
	.cong_avoid = (void *)cc_cong_avoid_alt,
	.undo_cwnd = (void *)cc_undo_cwnd,
	.name = "bpfsk_link",
};

SEC("?.struct_ops")
struct tcp_congestion_ops optional_cc = {
	.ssthresh = (void *)cc_ssthresh,
	.cong_avoid = (void *)cc_cong_avoid,
	.undo_cwnd = (void *)cc_undo_cwnd,
	.name = "bpfsk_optional",
};

SEC("?.struct_ops.link")
struct tcp_congestion_ops optional_link_cc = {
	.ssthresh = (void *)cc_ssthresh,
	.cong_avoid = (void *)cc_cong_avoid,
	.undo_cwnd = (void *)cc_undo_cwnd,
	.name = "bpfsk_optlink",
};
