/* Its BTF is the custom CO-RE target for core_custom.bpf.c. Every field of
 * struct shape moved, renamed_in_target is now called renamed, b sits in an anonymous union,
 * c shrank to 4 bytes (an unsigned load CO-RE may narrow), enumerator values changed. */
enum shape_kind {
	SHAPE_SQUARE = 7,
	SHAPE_ROUND = 9,
};

struct shape {
	unsigned int c;
	int arr[4];
	union {
		int b;
		unsigned int b_bits;
	};
	int renamed;
	int a;
};

struct shape target_shape;
enum shape_kind target_kind;

/* Keeps the object an ordinary one (a program, .BTF.ext); never loaded. */
__attribute__((section("syscall"), used))
int use_target_types(void *ctx)
{
	return target_shape.a + target_kind;
}
