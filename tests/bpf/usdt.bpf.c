/* USDT programs for UsdtTests. Each records what usdt.bpf.h decoded for the
 * probes of tests/Runtime.Tests/Usdt/native/usdt_target.c into .bss, where
 * the tests compare it with the values the target passed. */
#include "common.h"
#include <bpf/usdt.bpf.h>

#define MAX_ARGS 12

/* bpfsk:args — every argument as bpf_usdt_arg() returns it. */
long args_values[MAX_ARGS];
int args_results[MAX_ARGS];
int args_count;
long args_cookie;
__u64 args_hits;

/* bpfsk:memory — through BPF_USDT, which calls bpf_usdt_arg() for each parameter. */
long memory_values[8];
__u64 memory_hits;

/* bpfsk:sites — two call sites (42 in a register, 77 a constant), one spec each. */
__u64 sites_hits_42;
__u64 sites_hits_77;
__u64 sites_hits_other;
long sites_cookie;

/* bpfsk:noargs */
int noargs_count = -1;
int noargs_arg0_result;
__u64 noargs_hits;

/* bpfsk:sema */
long sema_value;
__u64 sema_hits;

SEC("usdt")
int handle_args(struct pt_regs *ctx)
{
	args_count = bpf_usdt_arg_cnt(ctx);
	args_cookie = bpf_usdt_cookie(ctx);
	for (int i = 0; i < MAX_ARGS; i++) {
		long value;
		args_results[i] = bpf_usdt_arg(ctx, i, &value);
		args_values[i] = value;
	}
	__sync_fetch_and_add(&args_hits, 1);
	return 0;
}

SEC("usdt")
int BPF_USDT(handle_memory, __u8 u8, __s8 s8, __u16 u16, __s16 s16, __u32 u32, __s32 s32, __u64 u64, __s64 s64)
{
	memory_values[0] = u8;
	memory_values[1] = s8;
	memory_values[2] = u16;
	memory_values[3] = s16;
	memory_values[4] = u32;
	memory_values[5] = s32;
	memory_values[6] = u64;
	memory_values[7] = s64;
	__sync_fetch_and_add(&memory_hits, 1);
	return 0;
}

SEC("usdt")
int BPF_USDT(handle_sites, long value)
{
	sites_cookie = bpf_usdt_cookie(ctx);
	if (value == 42)
		__sync_fetch_and_add(&sites_hits_42, 1);
	else if (value == 77)
		__sync_fetch_and_add(&sites_hits_77, 1);
	else
		__sync_fetch_and_add(&sites_hits_other, 1);
	return 0;
}

SEC("usdt")
int handle_noargs(struct pt_regs *ctx)
{
	long value;
	noargs_count = bpf_usdt_arg_cnt(ctx);
	noargs_arg0_result = bpf_usdt_arg(ctx, 0, &value);
	__sync_fetch_and_add(&noargs_hits, 1);
	return 0;
}

SEC("usdt")
int BPF_USDT(handle_sema, int value)
{
	sema_value = value;
	__sync_fetch_and_add(&sema_hits, 1);
	return 0;
}

/* Auto-attached by section name. The target is a bare name the tests point at
 * their built copy (AttachTarget), as bpf_program__set_attach_target would. */
__u64 auto_hits;

SEC("usdt/usdt_target:bpfsk:noargs")
int handle_auto(struct pt_regs *ctx)
{
	__sync_fetch_and_add(&auto_hits, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
