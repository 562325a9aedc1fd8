/* Initial slots: a prog array whose slot 0 holds a program that the entry tail-calls, and an
 * array/hash of maps whose slots hold concrete inner maps the program writes through. */
#include "common.h"

char _license[] SEC("license") = "GPL";

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
};

struct inner inner_a SEC(".maps");
struct inner inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 3);
	__type(key, __u32);
	__array(values, struct inner);
} outer_array SEC(".maps") = {
	.values = { [0] = &inner_a, [2] = &inner_b },
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct inner);
} outer_hash SEC(".maps") = {
	.values = { [5] = &inner_b },
};

int tail_target(void *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__uint(key_size, sizeof(__u32));
	__array(values, int(void *));
} jump_table SEC(".maps") = {
	.values = { [0] = (void *)&tail_target },
};

__u64 tail_ran = 0;
__u64 after_tail_call = 0;

static void add_through(void *outer, __u32 slot, __u64 value)
{
	__u32 zero = 0;
	__u64 *cell;
	void *inner = bpf_map_lookup_elem(outer, &slot);

	if (!inner)
		return;
	cell = bpf_map_lookup_elem(inner, &zero);
	if (cell)
		*cell += value;
}

SEC("raw_tp")
int fill_inner(void *ctx)
{
	add_through(&outer_array, 0, 1);   /* inner_a */
	add_through(&outer_array, 2, 10);  /* inner_b */
	add_through(&outer_array, 1, 1000); /* empty slot: nothing */
	add_through(&outer_hash, 5, 100);  /* inner_b */
	return 0;
}

SEC("raw_tp")
int tail_entry(void *ctx)
{
	bpf_tail_call(ctx, &jump_table, 0);
	after_tail_call = 1; /* only when slot 0 is empty */
	return 1;
}

SEC("raw_tp")
int tail_target(void *ctx)
{
	tail_ran = 42;
	return 7;
}
