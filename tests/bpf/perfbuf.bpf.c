/* Writes samples into a PERF_EVENT_ARRAY on whichever CPU it runs. A raw_tp program: test runs
 * with BPF_F_TEST_RUN_ON_CPU choose that CPU, and raw_tp programs may call bpf_perf_event_output. */
#include "common.h"

char _license[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} samples SEC(".maps");

struct perf_sample {
	__u32 cpu;
	__u32 index;
	__u64 seq;
	__u64 check; /* ~seq; makes the record 40 bytes, which does not divide the ring, so records wrap */
};

__u64 next_seq;
__u64 output_failures;

#define MAX_SAMPLES_PER_RUN 1024

/* args[0] of the test-run context is how many samples to write (at most MAX_SAMPLES_PER_RUN). */
SEC("raw_tp")
int emit_samples(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 count = ctx->args[0];
	struct perf_sample s = { .cpu = bpf_get_smp_processor_id() };

	for (__u32 i = 0; i < MAX_SAMPLES_PER_RUN && i < count; i++) {
		s.index = i;
		s.seq = next_seq++;
		s.check = ~s.seq;
		if (bpf_perf_event_output(ctx, &samples, BPF_F_CURRENT_CPU, &s, sizeof(s)))
			output_failures++;
	}
	return 0;
}
