/* libbpf 1.1 reference for bench/BpfSkeleton.Benchmarks/CoreBenchmarks.cs.
 *
 * libbpf 1.1 has no bpf_object__prepare(), so the user-space relocation phase is timed from
 * inside bpf_object__load(): this program interposes syscall(2), which libbpf uses for bpf().
 * In bpf_object__load() the last step before bpf_object__relocate() (CO-RE, subprogram
 * linking, data relocations) is map setup (MAP_CREATE / MAP_UPDATE_ELEM / MAP_FREEZE), and
 * the first step after it is BPF_PROG_LOAD of an object program. The window between the end
 * of the last map-setup call and the first object PROG_LOAD, minus time spent in any other
 * bpf() call inside it (lazy feature probes), is libbpf's relocation time. The PROG_LOAD is
 * then failed so nothing reaches the verifier. vmlinux BTF parsing happens earlier and is
 * timed separately with btf__load_vmlinux_btf().
 *
 * usage: core_relocate OBJECT [RUNS]   (root: libbpf creates the maps for real)
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static long (*real_syscall)(long, ...);
static double window_start = -1, inside_bpf, relocation_us = -1;

static int is_map_setup(long cmd)
{
	return cmd == BPF_MAP_CREATE || cmd == BPF_MAP_UPDATE_ELEM || cmd == BPF_MAP_FREEZE;
}

long syscall(long number, ...)
{
	va_list args;
	long a1, a2, a3, a4, a5, a6, result;
	double begin, end;

	va_start(args, number);
	a1 = va_arg(args, long);
	a2 = va_arg(args, long);
	a3 = va_arg(args, long);
	a4 = va_arg(args, long);
	a5 = va_arg(args, long);
	a6 = va_arg(args, long);
	va_end(args);
	if (!real_syscall)
		real_syscall = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
	if (number != __NR_bpf)
		return real_syscall(number, a1, a2, a3, a4, a5, a6);

	if (a1 == BPF_PROG_LOAD && strncmp(((union bpf_attr *)a2)->prog_name, "prog_", 5) == 0) {
		if (relocation_us < 0 && window_start >= 0)
			relocation_us = now_us() - window_start - inside_bpf;
		errno = EPERM; /* stop here: only user-space time is measured */
		return -1;
	}
	begin = now_us();
	result = real_syscall(number, a1, a2, a3, a4, a5, a6);
	end = now_us();
	if (is_map_setup(a1)) {
		window_start = end;
		inside_bpf = 0;
	} else if (window_start >= 0) {
		inside_bpf += end - begin;
	}
	return result;
}

static int silent(enum libbpf_print_level level, const char *format, va_list args)
{
	return 0;
}

static int compare(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int runs = argc > 2 ? atoi(argv[2]) : 20, i;
	double *reloc = calloc(runs, sizeof(double)), *parse = calloc(runs, sizeof(double));

	if (argc < 2) {
		fprintf(stderr, "usage: %s OBJECT [RUNS]\n", argv[0]);
		return 2;
	}
	libbpf_set_print(silent);
	for (i = 0; i < runs; i++) {
		struct bpf_object *obj;
		struct btf *vmlinux;
		double begin = now_us();

		vmlinux = btf__load_vmlinux_btf();
		parse[i] = now_us() - begin;
		btf__free(vmlinux);

		obj = bpf_object__open_file(argv[1], NULL);
		if (!obj) {
			fprintf(stderr, "open %s failed\n", argv[1]);
			return 1;
		}
		window_start = -1;
		relocation_us = -1;
		bpf_object__load(obj); /* fails on purpose at the first program load */
		bpf_object__close(obj);
		if (relocation_us < 0) {
			fprintf(stderr, "run %d: the relocation window was not observed\n", i);
			return 1;
		}
		reloc[i] = relocation_us;
	}
	qsort(reloc, runs, sizeof(double), compare);
	qsort(parse, runs, sizeof(double), compare);
	printf("libbpf %s: relocate (CO-RE + link, vmlinux BTF already parsed) median %.0f us, min %.0f us over %d runs\n",
	       libbpf_version_string(), reloc[runs / 2], reloc[0], runs);
	printf("libbpf %s: btf__load_vmlinux_btf median %.0f us\n", libbpf_version_string(), parse[runs / 2]);
	return 0;
}
