// SPDX-License-Identifier: MIT
/* libbpf reference for MapOpsBenchmarks: the same operations on a hash map of ENTRIES u32 -> u64
 * elements, all present. Prints "<operation> <median operations per second>" for each.
 * With --serve it runs one block per stdin line "<operation> <calls>" and answers with that block's
 * operations per second, so bench/paired-maps.py can alternate it with .NET's --maps-serve. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>

#define ENTRIES 1024u
#define ROUNDS 11
#define OPS_PER_ROUND (50u * ENTRIES)

static int map_fd;
static uint32_t keys[ENTRIES];
static uint64_t values[ENTRIES];

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void check(int err, const char *what)
{
	if (err) {
		fprintf(stderr, "%s: %s\n", what, strerror(errno));
		exit(1);
	}
}

static void lookup(uint32_t i)
{
	uint64_t value;

	check(bpf_map_lookup_elem(map_fd, &keys[i], &value), "lookup");
}

static void update(uint32_t i)
{
	uint64_t value = 7;

	check(bpf_map_update_elem(map_fd, &keys[i], &value, BPF_ANY), "update");
}

/* Delete needs an element to delete: insert a key past the prefilled range, then delete it. */
static void update_then_delete(uint32_t i)
{
	uint32_t key = ENTRIES + i;
	uint64_t value = 1;

	check(bpf_map_update_elem(map_fd, &key, &value, BPF_ANY), "update");
	check(bpf_map_delete_elem(map_fd, &key), "delete");
}

/* One whole-map batch read, ENTRIES elements. */
static void lookup_batch(uint32_t i)
{
	uint32_t out_batch, total = 0;
	void *in_batch = NULL;
	int err = 0;

	while (!err) {
		uint32_t count = ENTRIES - total;
		LIBBPF_OPTS(bpf_map_batch_opts, opts);

		err = bpf_map_lookup_batch(map_fd, in_batch, &out_batch, keys + total, values + total, &count, &opts);
		if (err && errno != ENOENT)
			check(err, "lookup batch");
		total += count;
		in_batch = &out_batch;
	}
	if (total != ENTRIES) {
		fprintf(stderr, "batch read %u of %u\n", total, ENTRIES);
		exit(1);
	}
}

static void update_batch(uint32_t i)
{
	uint32_t count = ENTRIES;

	check(bpf_map_update_batch(map_fd, keys, values, &count, NULL), "update batch");
}

static int compare(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median operations per second over ROUNDS rounds; ops_per_call elements per call. */
static double measure(void (*op)(uint32_t), uint32_t ops_per_call)
{
	uint32_t calls = OPS_PER_ROUND / ops_per_call;
	double rates[ROUNDS];

	for (int r = -2; r < ROUNDS; r++) {
		double start = now_ns();

		for (uint32_t i = 0; i < calls; i++)
			op(i & (ENTRIES - 1));
		if (r >= 0)
			rates[r] = (double)calls * ops_per_call / ((now_ns() - start) / 1e9);
	}
	qsort(rates, ROUNDS, sizeof(rates[0]), compare);
	return rates[ROUNDS / 2];
}

/* With BENCH_IDLE_THREAD=1 the process gets a second thread that only sleeps. The kernel's fdget()
 * skips the file reference count while a process's fd table is unshared, that is while it has a
 * single thread; any second thread (every .NET process has several) makes each bpf() pay it. */
static void *idle_thread(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void (*operation_named(const char *name, uint32_t *ops_per_call))(uint32_t)
{
	static const struct {
		const char *name;
		void (*op)(uint32_t);
		uint32_t ops_per_call;
	} table[] = {
		{ "Lookup", lookup, 1 },
		{ "Update", update, 1 },
		{ "UpdateThenDelete", update_then_delete, 1 },
		{ "LookupBatch", lookup_batch, ENTRIES },
		{ "UpdateBatch", update_batch, ENTRIES },
	};

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (strcmp(table[i].name, name) == 0) {
			*ops_per_call = table[i].ops_per_call;
			return table[i].op;
		}
	}
	return NULL;
}

/* One timed block per request; the key walk continues across blocks as it does in .NET's server. */
static void serve(void)
{
	char name[64];
	uint32_t calls, ops_per_call, next = 0;

	while (scanf("%63s %u", name, &calls) == 2) {
		void (*op)(uint32_t) = operation_named(name, &ops_per_call);
		double start;

		if (!op) {
			fprintf(stderr, "unknown operation %s\n", name);
			exit(1);
		}
		start = now_ns();
		for (uint32_t i = 0; i < calls; i++)
			op(next++ & (ENTRIES - 1));
		printf("%.0f\n", (double)calls * ops_per_call / ((now_ns() - start) / 1e9));
		fflush(stdout);
	}
}

int main(int argc, char **argv)
{
	uint32_t count = ENTRIES;
	const char *idle = getenv("BENCH_IDLE_THREAD");
	pthread_t thread;

	if (idle && strcmp(idle, "1") == 0)
		check(pthread_create(&thread, NULL, idle_thread, NULL), "create idle thread");

	map_fd = bpf_map_create(BPF_MAP_TYPE_HASH, "bench_hash", 4, 8, ENTRIES * 2, NULL);
	check(map_fd < 0, "create");
	for (uint32_t i = 0; i < ENTRIES; i++) {
		keys[i] = i;
		values[i] = i * 3ull;
	}
	check(bpf_map_update_batch(map_fd, keys, values, &count, NULL), "fill");
	if (argc > 1 && strcmp(argv[1], "--serve") == 0) {
		serve();
		return 0;
	}

	printf("Lookup %.0f\n", measure(lookup, 1));
	printf("Update %.0f\n", measure(update, 1));
	printf("UpdateThenDelete %.0f\n", measure(update_then_delete, 1));
	printf("LookupBatch %.0f\n", measure(lookup_batch, ENTRIES));
	printf("UpdateBatch %.0f\n", measure(update_batch, ENTRIES));
	return 0;
}
