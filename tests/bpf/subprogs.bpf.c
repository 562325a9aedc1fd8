/* Subprogram layouts the loader must link: global (BTF-verified) and static subprograms in
 * .text shared by programs in several sections, a bpf_loop callback, and subprograms calling
 * subprograms. */
#include "common.h"

char _license[] SEC("license") = "GPL";

__u64 calls = 0;
__u64 loop_sum = 0;

/* Static subprogram in .text, called from two sections. */
static __noinline __u64 add_twice(__u64 v)
{
	return v + v;
}

/* Global subprogram: verified on its own against its BTF prototype. */
__noinline int global_square(int v)
{
	return v * v;
}

/* A subprogram that calls another one. */
static __noinline int square_plus_double(int v)
{
	return global_square(v) + (int)add_twice(v);
}

static int loop_body(__u32 index, void *ctx)
{
	*(__u64 *)ctx += add_twice(index);
	return 0;
}

SEC("syscall")
int first_program(void *ctx)
{
	__u64 sum = 0;

	calls += 1;
	bpf_loop(4, loop_body, &sum, 0);
	loop_sum = sum;
	return square_plus_double(3);
}

SEC("syscall")
int second_program(void *ctx)
{
	calls += 1;
	return global_square(5) + (int)add_twice(1);
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int third_program(void *ctx)
{
	calls += add_twice(2);
	return 0;
}
