/* A program with USDT probes for the USDT tests, built with gcc when the tests build.
 *
 * Usage: usdt_target [--wait] [count]
 *   --wait  print "ready", then block until a line arrives on stdin, so a test can
 *           attach to this process's pid before any probe fires
 *   count   how many times each probe fires (default 1)
 * Prints "semaphore=<n>" (bpfsk:sema's semaphore just before firing) and "done".
 *
 * sdt.h lets the compiler place each argument (constraint "nor": constant, memory
 * or register): literals become constants ($imm), computed values registers.
 * bpfsk:memory redefines the constraint to "m" (sdt.h expands it at each probe),
 * which puts its arguments in the stack frame (offset(%rsp) or offset(%rbp)). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sdt.h>

void fire_sema(void); /* usdt_target_sema.c */
unsigned short sema_count(void);

/* Read through volatile so the compiler cannot fold the values into constants. */
static volatile int64_t seed;

static __attribute__((noinline)) void fire_args(void)
{
	uint8_t u8 = (uint8_t)(0xab + seed);
	int8_t s8 = (int8_t)(-5 + seed);
	uint16_t u16 = (uint16_t)(0xbeef + seed);
	int32_t s32 = (int32_t)(-123456789 + seed);
	uint64_t u64 = 0xfedcba9876543210ull + (uint64_t)seed;
	int16_t s16 = (int16_t)(-1234 + seed);
	uint32_t u32 = (uint32_t)(0xdeadbeefu + seed);
	int64_t s64 = -1234567890123ll + seed;

	DTRACE_PROBE12(bpfsk, args, -9, 4000000000u, u8, s8, u16, s16, u32, s32, u64, s64,
		       (uint8_t)(u8 + 1), (int16_t)(s16 - 1));
}

static __attribute__((noinline)) void fire_memory(void)
{
	uint8_t u8 = (uint8_t)(0xfe + seed);
	int8_t s8 = (int8_t)(-100 + seed);
	uint16_t u16 = (uint16_t)(0xfffe + seed);
	int16_t s16 = (int16_t)(-30000 + seed);
	uint32_t u32 = (uint32_t)(0xfffffffeu + seed);
	int32_t s32 = (int32_t)(-2000000000 + seed);
	uint64_t u64 = 0xfffffffffffffffeull + (uint64_t)seed;
	int64_t s64 = -9000000000000000000ll + seed;

#undef STAP_SDT_ARG_CONSTRAINT
#define STAP_SDT_ARG_CONSTRAINT m
	DTRACE_PROBE8(bpfsk, memory, u8, s8, u16, s16, u32, s32, u64, s64);
#undef STAP_SDT_ARG_CONSTRAINT
#define STAP_SDT_ARG_CONSTRAINT nor
}

/* One probe, two call sites with the argument in different places. */
static __attribute__((noinline)) void fire_sites(int64_t value)
{
	DTRACE_PROBE1(bpfsk, sites, value);
	DTRACE_PROBE1(bpfsk, sites, 77);
}

static __attribute__((noinline)) void fire_noargs(void)
{
	DTRACE_PROBE(bpfsk, noargs);
}

int main(int argc, char **argv)
{
	int wait = argc > 1 && strcmp(argv[1], "--wait") == 0;
	int count = argc > 1 + wait ? atoi(argv[1 + wait]) : 1;
	if (wait) {
		char line[16];
		printf("ready\n");
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin))
			return 1;
	}
	printf("semaphore=%u\n", sema_count());
	for (int i = 0; i < count; i++) {
		fire_args();
		fire_memory();
		fire_sites(42 + seed);
		fire_noargs();
		fire_sema();
	}
	printf("done\n");
	return 0;
}
