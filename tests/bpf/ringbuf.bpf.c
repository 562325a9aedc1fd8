/* Ring buffer producers for the reader tests and benchmarks, all runnable with BPF_PROG_TEST_RUN
 * as syscall programs. Sequence numbers live in .bss so they keep counting across runs; a run
 * stops early (returning how many it reserved) when the ring is full, so nothing is silently
 * lost and the consumer can check for gaps. */
#include "common.h"

char _license[] SEC("license") = "GPL";

/* Fixed-size records; the tests shrink or grow max_entries before load. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

/* Variable-size records (8..256 bytes, mostly not multiples of 8) in a one-page ring. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} sized_events SEC(".maps");

/* Records from C#, drained by consume_user_records. */
struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 4096);
} user_events SEC(".maps");

struct event {
	__u64 seq;
	__u64 check; /* ~seq, so a torn or misplaced read shows */
};

/* The syscall program's context: what C# passes as ContextIn. */
struct produce_args {
	__u32 count;
	__u32 discard_every; /* discard records whose seq is a multiple of this (0: none) */
};

__u64 next_seq;
__u64 next_sized_seq;
__u64 reserve_failures;
__u8 sized_payload[512];

__u64 user_records;
__u64 user_sum;

struct loop_state {
	__u32 discard_every;
	__u32 done;
};

static long emit_event(__u32 index, void *context)
{
	struct loop_state *state = context;
	struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		reserve_failures++;
		return 1; /* full: stop this run */
	}
	__u64 seq = next_seq++;
	e->seq = seq;
	e->check = ~seq;
	state->done++;
	if (state->discard_every && seq % state->discard_every == 0)
		bpf_ringbuf_discard(e, 0);
	else
		bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("syscall")
int produce(struct produce_args *args)
{
	struct loop_state state = { .discard_every = args->discard_every };
	bpf_loop(args->count, emit_event, &state, 0);
	return state.done;
}

static long emit_sized(__u32 index, void *context)
{
	struct loop_state *state = context;
	__u64 seq = next_sized_seq;
	__u64 size = 8 + seq * 7 % 249;

	/* The mask changes nothing (sizes are 8..256) but bounds the size for the verifier, which
	 * cannot follow the modulo; asm keeps clang from folding it away. */
	asm volatile("%0 &= 511" : "+r"(size));

	*(__u64 *)sized_payload = seq;
	if (bpf_ringbuf_output(&sized_events, sized_payload, size, 0)) {
		reserve_failures++;
		return 1;
	}
	next_sized_seq = seq + 1;
	state->done++;
	return 0;
}

/* Emits records whose length is 8 + seq*7 % 249; bytes after the seq are sized_payload[i] as C# set them. */
SEC("syscall")
int produce_sized(struct produce_args *args)
{
	struct loop_state state = {};
	bpf_loop(args->count, emit_sized, &state, 0);
	return state.done;
}

static long take_user_record(struct bpf_dynptr *record, void *context)
{
	__u64 value = 0;

	if (bpf_dynptr_read(&value, sizeof(value), record, 0, 0))
		return 1;
	user_records++;
	user_sum += value;
	return 0;
}

/* Drains every record C# submitted to user_events; returns how many it saw. */
SEC("syscall")
int consume_user_records(void *args)
{
	return bpf_user_ringbuf_drain(&user_events, take_user_record, NULL, 0);
}
