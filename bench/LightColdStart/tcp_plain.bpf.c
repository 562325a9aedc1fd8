// SPDX-License-Identifier: MIT
/* The light skeleton benchmark's struct_ops object: a small Reno-like tcp_congestion_ops in one plain
 * SEC(".struct_ops") map, which Debian's libbpf 1.1 also loads (it predates .struct_ops.link). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char _license[] SEC("license") = "GPL";

SEC("struct_ops/bench_init")
void BPF_PROG(bench_init, struct sock *sk)
{
}

SEC("struct_ops/bench_ssthresh")
__u32 BPF_PROG(bench_ssthresh, struct sock *sk)
{
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;

	return tp->snd_cwnd > 4 ? tp->snd_cwnd / 2 : 2;
}

SEC("struct_ops/bench_cong_avoid")
void BPF_PROG(bench_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
	struct tcp_sock *tp = (struct tcp_sock *)sk;

	if (tp->snd_cwnd < tp->snd_cwnd_clamp)
		tp->snd_cwnd++;
}

SEC("struct_ops/bench_undo_cwnd")
__u32 BPF_PROG(bench_undo_cwnd, struct sock *sk)
{
	return ((const struct tcp_sock *)sk)->snd_cwnd;
}

SEC(".struct_ops")
struct tcp_congestion_ops bench_cc = {
	.init = (void *)bench_init,
	.ssthresh = (void *)bench_ssthresh,
	.cong_avoid = (void *)bench_cong_avoid,
	.undo_cwnd = (void *)bench_undo_cwnd,
	.name = "bpfsk_bench",
};
