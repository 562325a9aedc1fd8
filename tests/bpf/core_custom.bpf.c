/* CO-RE against a custom target BTF (core_custom_target.bpf.c's types, given as
 * BpfOpenOptions.KernelBtfPath): the target moves every field, renames one, wraps one in an
 * anonymous union, resizes one and changes enumerator values. The program reads a shape laid
 * out as the target says from a global buffer with plain loads (LDX offsets relocated, one
 * load narrowed) and reports what CO-RE computed. */
#include "common.h"

char _license[] SEC("license") = "GPL";

enum shape_kind {
	SHAPE_ROUND = 1,
	SHAPE_SQUARE = 2,
};

struct shape {
	int a;
	struct {
		int b;
	};
	unsigned long c;
	int renamed_in_target;
	int arr[4];
} __attribute__((preserve_access_index));

struct {
	__u64 buffer[8];
	__u64 a;
	__u64 b;
	__u64 c;
	__u64 arr2;
	__u64 size;
	__u64 square;
	__u64 renamed_exists;
	__u64 b_offset;
} out = {};

SEC("syscall")
int read_shape(void *ctx)
{
	struct shape *s = (void *)out.buffer;

	out.a = s->a;
	out.b = s->b;
	out.c = s->c;
	out.arr2 = s->arr[2];
	out.size = bpf_core_type_size(struct shape);
	out.square = bpf_core_enum_value(enum shape_kind, SHAPE_SQUARE);
	out.renamed_exists = bpf_core_field_exists(s->renamed_in_target);
	out.b_offset = bpf_core_field_offset(s->b);
	return 0;
}

/* The target renamed this field: an unguarded read must fail and name the relocation. */
SEC("syscall")
int read_renamed(void *ctx)
{
	struct shape *s = (void *)out.buffer;

	out.a = s->renamed_in_target;
	return 0;
}
