// SPDX-License-Identifier: MIT
/* libbpf reference for RingBufferBenchmarks: loads the same ringbuf.bpf.o, fills the "events"
 * ring with RECORDS 16-byte records by test-running "produce", then times one drain with
 * ring_buffer__consume() or ring_buffer__poll(). Prints the median drain rate of each. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#define RECORDS (1u << 20)
#define RING_BYTES (32u << 20)
#define WARMUPS 3
#define ITERATIONS 20

struct produce_args {
	uint32_t count;
	uint32_t discard_every;
};

static uint64_t sum;

static int on_record(void *ctx, void *data, size_t size)
{
	uint64_t seq;

	memcpy(&seq, data, sizeof(seq)); /* touch the record, as the C# handler does */
	sum += seq;
	return 0;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void fill(int prog_fd)
{
	struct produce_args args = { .count = RECORDS };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &args, .ctx_size_in = sizeof(args));

	if (bpf_prog_test_run_opts(prog_fd, &opts) || opts.retval != RECORDS) {
		fprintf(stderr, "produce: %s, emitted %u of %u\n", strerror(errno), opts.retval, RECORDS);
		exit(1);
	}
}

static int compare(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Drains one filled ring per iteration; returns the median events per second. */
static double measure(struct ring_buffer *rb, int prog_fd, int use_poll)
{
	double rates[ITERATIONS];

	for (int i = 0; i < WARMUPS + ITERATIONS; i++) {
		long drained = 0;
		double start;

		fill(prog_fd);
		start = now_ns();
		while (drained < RECORDS) {
			int n = use_poll ? ring_buffer__poll(rb, 1000) : ring_buffer__consume(rb);

			if (n < 0) {
				fprintf(stderr, "drain: %d\n", n);
				exit(1);
			}
			drained += n;
		}
		if (i >= WARMUPS)
			rates[i - WARMUPS] = RECORDS / ((now_ns() - start) / 1e9);
	}
	qsort(rates, ITERATIONS, sizeof(rates[0]), compare);
	return rates[ITERATIONS / 2];
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "ringbuf.bpf.o";
	struct bpf_object *obj;
	struct ring_buffer *rb;
	int prog_fd;

	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);
	obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		fprintf(stderr, "open %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (bpf_map__set_max_entries(bpf_object__find_map_by_name(obj, "events"), RING_BYTES) ||
	    bpf_object__load(obj)) {
		fprintf(stderr, "load %s: %s\n", path, strerror(errno));
		return 1;
	}
	prog_fd = bpf_program__fd(bpf_object__find_program_by_name(obj, "produce"));
	rb = ring_buffer__new(bpf_map__fd(bpf_object__find_map_by_name(obj, "events")), on_record, NULL, NULL);
	if (!rb) {
		fprintf(stderr, "ring_buffer__new: %s\n", strerror(errno));
		return 1;
	}

	printf("consume %.0f\n", measure(rb, prog_fd, 0));
	printf("poll %.0f\n", measure(rb, prog_fd, 1));
	fprintf(stderr, "(checksum %llu)\n", (unsigned long long)sum);
	ring_buffer__free(rb);
	bpf_object__close(obj);
	return 0;
}
