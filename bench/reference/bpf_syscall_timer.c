// SPDX-License-Identifier: MIT
/* Counts calls and wall time of bpf(2) made by libbpf. Linked into the executable, this
 * syscall() takes precedence over libc's for libbpf.so too (the executable is searched first),
 * so every libbpf bpf() call passes through here; other syscalls are forwarded untouched.
 * The clock reads are the same ones the .NET side's Stopwatch accumulator makes. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdarg.h>
#include <sys/syscall.h>
#include <time.h>
#include "bpf_syscall_timer.h"

typedef long (*syscall_fn)(long, ...);

static struct bpf_syscall_time totals;

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

long syscall(long number, ...)
{
	static syscall_fn real;
	unsigned long long start;
	long a[6], result;
	va_list args;

	if (!real)
		real = (syscall_fn)dlsym(RTLD_NEXT, "syscall");
	va_start(args, number);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(args, long);
	va_end(args);
	if (number != SYS_bpf)
		return real(number, a[0], a[1], a[2], a[3], a[4], a[5]);
	start = now_ns();
	result = real(number, a[0], a[1], a[2], a[3], a[4], a[5]);
	totals.ns += now_ns() - start;
	totals.calls++;
	return result;
}

struct bpf_syscall_time bpf_syscall_time_now(void)
{
	return totals;
}
