// SPDX-License-Identifier: MIT
/* libbpf reference for LoadTiming (bench/BpfSkeleton.Benchmarks/LoadTiming.cs): opens, loads,
 * attaches and destroys one object N times, timing each phase with clock_gettime and the bpf()
 * time inside it (bpf_syscall_timer.c). Prints one line per phase:
 *   <phase> median_ms best_ms bpf_median_ms bpf_calls
 * then "first_load" with the first iteration's load (nothing cached in the process yet).
 * Usage: load_objects OBJECT ITERATIONS [STRUCT_OPS_MAP [SKIPPED_PROGRAM...]]
 * With a struct_ops map name, every other struct_ops map is left uncreated, so exactly one is
 * registered. libbpf 1.1 still loads struct_ops programs no created map references (and the
 * kernel rejects them); the skipped programs are those, which our loader leaves out by itself.
 * With ITERATIONS "serve" it answers requests for bench/paired-load.py instead (see serve()). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/libbpf.h>
#include "bpf_syscall_timer.h"

#define MAX_LINKS 256
#define WARMUPS 40 /* as many as LoadTiming.cs, which needs them for the JIT to settle */

enum phase { OPEN, LOAD, ATTACH, DESTROY, PHASES };
static const char *phase_names[PHASES] = { "open", "load", "attach", "destroy" };

struct sample {
	double ms;
	double bpf_ms;
	unsigned long long bpf_calls;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int silent(enum libbpf_print_level level, const char *format, va_list args)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, format, args) : 0;
}

static void fail(const char *what, const char *path)
{
	fprintf(stderr, "%s %s: %s\n", what, path, strerror(errno));
	exit(1);
}

static struct bpf_object *open_object(const char *path, const char *struct_ops, char **skipped, int skipped_count)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_map *map;

	if (!obj)
		fail("open", path);
	for (int i = 0; i < skipped_count; i++)
		bpf_program__set_autoload(bpf_object__find_program_by_name(obj, skipped[i]), false);
	if (struct_ops) {
		bpf_object__for_each_map(map, obj)
			if (bpf_map__type(map) == BPF_MAP_TYPE_STRUCT_OPS)
				bpf_map__set_autocreate(map, strcmp(bpf_map__name(map), struct_ops) == 0);
	}
	return obj;
}

/* What a skeleton's attach does: every program whose section names its target, every struct_ops map. */
static int attach_all(struct bpf_object *obj, const char *struct_ops, struct bpf_link **links)
{
	struct bpf_program *prog;
	struct bpf_map *map;
	int count = 0;

	bpf_object__for_each_program(prog, obj) {
		struct bpf_link *link;

		if (!bpf_program__autoload(prog) || bpf_program__type(prog) == BPF_PROG_TYPE_STRUCT_OPS)
			continue;
		link = bpf_program__attach(prog);
		if (!link) {
			if (errno == EOPNOTSUPP || errno == ESRCH)
				continue; /* xdp, syscall, …: no auto-attach target */
			fail("attach", bpf_program__name(prog));
		}
		links[count++] = link;
	}
	if (struct_ops) {
		bpf_object__for_each_map(map, obj) {
			if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS || !bpf_map__autocreate(map))
				continue;
			links[count] = bpf_map__attach_struct_ops(map);
			if (!links[count])
				fail("attach struct_ops", bpf_map__name(map));
			count++;
		}
	}
	return count;
}

static int compare(const void *a, const void *b)
{
	const struct sample *x = a, *y = b;

	return x->ms < y->ms ? -1 : x->ms > y->ms;
}

static int compare_bpf(const void *a, const void *b)
{
	const struct sample *x = a, *y = b;

	return x->bpf_ms < y->bpf_ms ? -1 : x->bpf_ms > y->bpf_ms;
}

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* One open, load, (attach,) destroy round; returns its user-space time of open + load in µs:
 * open, plus load minus the time load spent inside bpf(). */
static double user_round(const char *path, const char *struct_ops, char **skipped, int skipped_count, int attach)
{
	struct bpf_link *links[MAX_LINKS];
	struct bpf_syscall_time before, after;
	double start, loaded, opened;
	struct bpf_object *obj;
	int attached = 0;

	start = now_ms();
	obj = open_object(path, struct_ops, skipped, skipped_count);
	opened = now_ms();
	before = bpf_syscall_time_now();
	if (bpf_object__load(obj))
		fail("load", path);
	after = bpf_syscall_time_now();
	loaded = now_ms();
	if (attach)
		attached = attach_all(obj, struct_ops, links);
	for (int l = 0; l < attached; l++)
		bpf_link__destroy(links[l]);
	bpf_object__close(obj);
	return (opened - start + (loaded - opened) - (after.ns - before.ns) / 1e6) * 1e3;
}

/* Requests on stdin, one per line: "ATTACH ROUNDS" (ATTACH 1: attach and destroy, so the next round
 * follows a detach; 0: hot, back to back). Answers each with the median user-space µs of its rounds. */
static void serve(const char *path, const char *struct_ops, char **skipped, int skipped_count)
{
	int attach, rounds;

	for (int i = 0; i < WARMUPS; i++)
		user_round(path, struct_ops, skipped, skipped_count, 1);
	printf("ready\n");
	fflush(stdout);
	while (scanf("%d %d", &attach, &rounds) == 2 && rounds > 0) {
		double *user = calloc(rounds, sizeof(double));

		for (int i = 0; i < rounds; i++)
			user[i] = user_round(path, struct_ops, skipped, skipped_count, attach);
		qsort(user, rounds, sizeof(double), compare_double);
		printf("%.2f\n", user[rounds / 2]);
		fflush(stdout);
		free(user);
	}
}

int main(int argc, char **argv)
{
	const char *path, *struct_ops;
	struct sample *samples[PHASES];
	struct bpf_link *links[MAX_LINKS];
	int iterations, attached = 0;
	struct sample first_load = { 0 };

	if (argc < 3) {
		fprintf(stderr, "usage: %s OBJECT ITERATIONS [STRUCT_OPS_MAP [SKIPPED_PROGRAM...]]\n", argv[0]);
		return 2;
	}
	path = argv[1];
	struct_ops = argc > 3 && strcmp(argv[3], "-") != 0 ? argv[3] : NULL;
	libbpf_set_print(silent);
	if (strcmp(argv[2], "serve") == 0) {
		serve(path, struct_ops, argv + 4, argc > 4 ? argc - 4 : 0);
		return 0;
	}
	iterations = atoi(argv[2]);
	for (int p = 0; p < PHASES; p++)
		samples[p] = calloc(iterations, sizeof(struct sample));

	for (int i = -WARMUPS; i < iterations; i++) {
		struct bpf_syscall_time marks[PHASES + 1];
		double times[PHASES + 1];
		struct bpf_object *obj;

		times[OPEN] = now_ms();
		marks[OPEN] = bpf_syscall_time_now();
		obj = open_object(path, struct_ops, argv + 4, argc > 4 ? argc - 4 : 0);
		times[LOAD] = now_ms();
		marks[LOAD] = bpf_syscall_time_now();
		if (bpf_object__load(obj))
			fail("load", path);
		times[ATTACH] = now_ms();
		marks[ATTACH] = bpf_syscall_time_now();
		/* BENCH_NO_ATTACH=1: open, load and close only, so rounds run back to back with hot caches. */
		attached = getenv("BENCH_NO_ATTACH") && strcmp(getenv("BENCH_NO_ATTACH"), "1") == 0 ? 0 : attach_all(obj, struct_ops, links);
		times[DESTROY] = now_ms();
		marks[DESTROY] = bpf_syscall_time_now();
		for (int l = 0; l < attached; l++)
			bpf_link__destroy(links[l]);
		bpf_object__close(obj);
		times[PHASES] = now_ms();
		marks[PHASES] = bpf_syscall_time_now();
		if (i == -WARMUPS)
			first_load = (struct sample){ times[ATTACH] - times[LOAD], (marks[ATTACH].ns - marks[LOAD].ns) / 1e6,
						      marks[ATTACH].calls - marks[LOAD].calls };
		if (i < 0)
			continue;
		for (int p = 0; p < PHASES; p++) {
			samples[p][i].ms = times[p + 1] - times[p];
			samples[p][i].bpf_ms = (marks[p + 1].ns - marks[p].ns) / 1e6;
			samples[p][i].bpf_calls = marks[p + 1].calls - marks[p].calls;
		}
	}

	fprintf(stderr, "%s: %d links\n", path, attached);
	for (int p = 0; p < PHASES; p++) {
		struct sample *s = samples[p];
		double median, best, bpf_median;
		unsigned long long calls = s[0].bpf_calls;

		qsort(s, iterations, sizeof(*s), compare);
		median = s[iterations / 2].ms;
		best = s[0].ms;
		qsort(s, iterations, sizeof(*s), compare_bpf);
		bpf_median = s[iterations / 2].bpf_ms;
		printf("%s %.4f %.4f %.4f %llu\n", phase_names[p], median, best, bpf_median, calls);
	}
	/* The first load of the process: what a program that loads one object pays. */
	printf("first_load %.4f %.4f %.4f %llu\n", first_load.ms, first_load.ms, first_load.bpf_ms, first_load.bpf_calls);
	return 0;
}
