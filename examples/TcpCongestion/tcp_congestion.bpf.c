/* A TCP congestion control in BPF: Reno's loss response with a tunable decrease factor, and two
 * interchangeable growth rules for congestion avoidance:
 *
 *   reno      one segment per round trip (classic AIMD)
 *   scalable  Scalable TCP: one segment per 100 acknowledged, so growth per round trip is
 *             proportional to cwnd and recovery time does not grow with the window
 *
 * Both programs are in the object; the struct_ops map below points at cong_avoid_reno, and the
 * C# side may point it at cong_avoid_scalable before load. Counters and cwnd statistics live in
 * .bss (read by C# through the mmapped section) and in a per-connection hash map. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>

char _license[] SEC("license") = "GPL";

/* Tunables, set from the command line before load; read-only afterwards. */
const volatile __u32 beta_percent = 50;     /* share of cwnd kept after a loss; Reno keeps 50 */
const volatile __u32 initial_ssthresh = 0;  /* 0 keeps the kernel's (unlimited) slow start threshold */

#define SCALABLE_AI_COUNT 100  /* Scalable TCP: +1 segment per this many acknowledged */
#define CWND_BUCKETS 16        /* log2 histogram of cwnd: bucket i counts cwnd in [2^i, 2^(i+1)) */

/* How often the kernel called each member. */
struct callback_counts {
	__u64 init;
	__u64 release;
	__u64 ssthresh;
	__u64 cong_avoid_reno;
	__u64 cong_avoid_scalable;
	__u64 undo_cwnd;
	__u64 cwnd_event;
	__u64 set_state;
};

struct callback_counts calls = {};
__u64 cwnd_histogram[CWND_BUCKETS] = {};
__u32 max_cwnd = 0;

/* One connection, as the local and remote port (host byte order). */
struct connection {
	__u32 local_port;
	__u32 remote_port;
};

struct connection_stats {
	__u64 acked_segments;  /* segments acknowledged during congestion avoidance calls */
	__u32 cwnd;            /* latest congestion window */
	__u32 max_cwnd;
	__u32 ssthresh;        /* latest slow start threshold */
	__u32 loss_events;     /* times ssthresh was asked for: the window was cut */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct connection);
	__type(value, struct connection_stats);
} connections SEC(".maps");

#define count(member) __sync_fetch_and_add(&calls.member, 1)

static __always_inline struct tcp_sock *tcp_sk(const struct sock *sk)
{
	return (struct tcp_sock *)sk;
}

static __always_inline __u32 min_u32(__u32 a, __u32 b) { return a < b ? a : b; }
static __always_inline __u32 max_u32(__u32 a, __u32 b) { return a > b ? a : b; }

static __always_inline struct connection connection_of(const struct sock *sk)
{
	struct connection key = {
		.local_port = sk->__sk_common.skc_num,
		.remote_port = bpf_ntohs(sk->__sk_common.skc_dport),
	};
	return key;
}

static __always_inline struct connection_stats *stats_of(const struct sock *sk)
{
	struct connection key = connection_of(sk);
	return bpf_map_lookup_elem(&connections, &key);
}

static __always_inline __u32 log2_bucket(__u32 value)
{
	__u32 bucket = 0;

	for (int i = 0; i < CWND_BUCKETS - 1; i++) {
		if (value < 2)
			break;
		value >>= 1;
		bucket++;
	}
	return bucket;
}

/* Records the window after each cong_avoid: global histogram and maximum, and the connection's entry. */
static __always_inline void record_cwnd(const struct sock *sk, __u32 acked)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	__u32 cwnd = tp->snd_cwnd;
	struct connection_stats *stats = stats_of(sk);

	__sync_fetch_and_add(&cwnd_histogram[log2_bucket(cwnd)], 1);
	if (cwnd > max_cwnd)
		max_cwnd = cwnd;
	if (stats) {
		stats->acked_segments += acked;
		stats->cwnd = cwnd;
		stats->max_cwnd = max_u32(stats->max_cwnd, cwnd);
		stats->ssthresh = tp->snd_ssthresh;
	}
}

/* Kernel's tcp_is_cwnd_limited: grow only when the window, not the application, limits sending. */
static __always_inline bool is_cwnd_limited(const struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	if (tp->snd_cwnd < tp->snd_ssthresh)
		return tp->snd_cwnd < 2 * tp->max_packets_out;
	return tp->is_cwnd_limited;
}

/* Slow start: +1 segment per acknowledged segment, up to ssthresh. Returns what is left of acked. */
static __always_inline __u32 slow_start(struct tcp_sock *tp, __u32 acked)
{
	__u32 cwnd = min_u32(tp->snd_cwnd + acked, tp->snd_ssthresh);

	acked -= cwnd - tp->snd_cwnd;
	tp->snd_cwnd = min_u32(cwnd, tp->snd_cwnd_clamp);
	return acked;
}

/* Additive increase: +1 segment for every w acknowledged (kernel's tcp_cong_avoid_ai). */
static __always_inline void additive_increase(struct tcp_sock *tp, __u32 w, __u32 acked)
{
	if (w == 0)
		w = 1;
	if (tp->snd_cwnd_cnt >= w) {
		tp->snd_cwnd_cnt = 0;
		tp->snd_cwnd++;
	}
	tp->snd_cwnd_cnt += acked;
	if (tp->snd_cwnd_cnt >= w) {
		__u32 delta = tp->snd_cwnd_cnt / w;

		tp->snd_cwnd_cnt -= delta * w;
		tp->snd_cwnd += delta;
	}
	tp->snd_cwnd = min_u32(tp->snd_cwnd, tp->snd_cwnd_clamp);
}

/* Both growth rules share slow start; they differ in w, the segments acknowledged per +1. */
static __always_inline void grow(struct sock *sk, __u32 acked, bool scalable)
{
	struct tcp_sock *tp = tcp_sk(sk);
	__u32 total = acked;

	if (!is_cwnd_limited(sk))
		goto out;
	if (tp->snd_cwnd < tp->snd_ssthresh) {
		acked = slow_start(tp, acked);
		if (!acked)
			goto out;
	}
	additive_increase(tp, scalable ? min_u32(tp->snd_cwnd, SCALABLE_AI_COUNT) : tp->snd_cwnd, acked);
out:
	record_cwnd(sk, total);
}

SEC("struct_ops/cc_init")
void BPF_PROG(cc_init, struct sock *sk)
{
	struct connection key = connection_of(sk);
	struct connection_stats fresh = {};

	count(init);
	if (initial_ssthresh)
		tcp_sk(sk)->snd_ssthresh = initial_ssthresh;
	bpf_map_update_elem(&connections, &key, &fresh, BPF_ANY);
}

SEC("struct_ops/cc_release")
void BPF_PROG(cc_release, struct sock *sk)
{
	count(release); /* the connection's entry stays, so its numbers can be read after it closed */
}

SEC("struct_ops/cc_ssthresh")
__u32 BPF_PROG(cc_ssthresh, struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	struct connection_stats *stats = stats_of(sk);

	count(ssthresh);
	if (stats)
		stats->loss_events++;
	return max_u32(tp->snd_cwnd * beta_percent / 100, 2);
}

SEC("struct_ops/cong_avoid_reno")
void BPF_PROG(cong_avoid_reno, struct sock *sk, __u32 ack, __u32 acked)
{
	count(cong_avoid_reno);
	grow(sk, acked, false);
}

SEC("struct_ops/cong_avoid_scalable")
void BPF_PROG(cong_avoid_scalable, struct sock *sk, __u32 ack, __u32 acked)
{
	count(cong_avoid_scalable);
	grow(sk, acked, true);
}

/* After a spurious loss, go back to the window before the cut (kernel's tcp_reno_undo_cwnd). */
SEC("struct_ops/cc_undo_cwnd")
__u32 BPF_PROG(cc_undo_cwnd, struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	count(undo_cwnd);
	return max_u32(tp->snd_cwnd, tp->prior_cwnd);
}

SEC("struct_ops/cc_cwnd_event")
void BPF_PROG(cc_cwnd_event, struct sock *sk, enum tcp_ca_event event)
{
	count(cwnd_event);
}

SEC("struct_ops/cc_set_state")
void BPF_PROG(cc_set_state, struct sock *sk, __u8 new_state)
{
	count(set_state);
}

/* Registered through a BPF link: closing the link (or the process) unregisters it. */
SEC(".struct_ops.link")
struct tcp_congestion_ops congestion_control = {
	.init = (void *)cc_init,
	.release = (void *)cc_release,
	.ssthresh = (void *)cc_ssthresh,
	.cong_avoid = (void *)cong_avoid_reno,
	.undo_cwnd = (void *)cc_undo_cwnd,
	.cwnd_event = (void *)cc_cwnd_event,
	.set_state = (void *)cc_set_state,
	.name = "bpfsk_reno",
};
