/* libbpf reference for VmlinuxBtfBenchmarks: the same work, timed with clock_gettime.
 * Build: gcc -O2 btf_parse.c -lbpf (bench/run-btf.sh does it). */
#include <bpf/btf.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static const char *common_structs[] = {
	"task_struct", "sk_buff", "sock", "tcp_sock", "inet_sock", "file", "inode", "dentry", "mm_struct",
	"cred", "net_device", "pt_regs", "xdp_md", "bpf_map", "bpf_prog", "cgroup", "css_set", "nsproxy",
	"pid_namespace", "socket",
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* What registering a tcp_congestion_ops struct_ops map needs from the kernel BTF. */
static long struct_ops_lookups(struct btf *btf)
{
	int wrapper = btf__find_by_name_kind(btf, "bpf_struct_ops_tcp_congestion_ops", BTF_KIND_STRUCT);
	int ops = btf__find_by_name_kind(btf, "tcp_congestion_ops", BTF_KIND_STRUCT);
	const struct btf_type *t;
	const struct btf_member *m;
	long total;
	int i;

	if (wrapper < 0 || ops < 0) {
		fprintf(stderr, "tcp_congestion_ops types not found\n");
		exit(1);
	}
	total = btf__type_by_id(btf, wrapper)->size;
	t = btf__type_by_id(btf, ops);
	m = btf_members(t);
	for (i = 0; i < btf_vlen(t); i++, m++) {
		__u32 type = m->type;
		const struct btf_type *mt = btf__type_by_id(btf, type);

		while (btf_is_mod(mt) || btf_is_typedef(mt)) {
			type = mt->type;
			mt = btf__type_by_id(btf, type);
		}
		total += btf__resolve_size(btf, type) + btf_member_bit_offset(t, i) +
			 strlen(btf__name_by_offset(btf, m->name_off));
	}
	return total;
}

enum work { PARSE, STRUCT_OPS, CORE };

static long run(enum work work)
{
	struct btf *btf = btf__parse("/sys/kernel/btf/vmlinux", NULL);
	long total;
	size_t i;

	if (!btf) {
		perror("btf__parse");
		exit(1);
	}
	total = btf__type_cnt(btf);
	if (work >= STRUCT_OPS)
		total += struct_ops_lookups(btf);
	if (work >= CORE) {
		for (i = 0; i < sizeof(common_structs) / sizeof(common_structs[0]); i++) {
			int id = btf__find_by_name_kind(btf, common_structs[i], BTF_KIND_STRUCT);

			if (id > 0)
				total += btf__type_by_id(btf, id)->size;
		}
	}
	btf__free(btf);
	return total;
}

static void report(const char *what, enum work work, int iterations)
{
	double best = 1e9, start, total = 0, first;
	volatile long sink = 0;
	int i;

	start = now_ms();
	sink += run(work); /* the first call of the process: nothing warm */
	first = now_ms() - start;
	for (i = 0; i < 10; i++)
		sink += run(work);
	for (i = 0; i < iterations; i++) {
		start = now_ms();
		sink += run(work);
		double elapsed = now_ms() - start;

		total += elapsed;
		if (elapsed < best)
			best = elapsed;
	}
	printf("libbpf  %-48s mean %8.3f ms   best %8.3f ms   first %8.3f ms\n", what, total / iterations, best, first);
}

int main(int argc, char **argv)
{
	int iterations = argc > 1 ? atoi(argv[1]) : 200;

	report("parse", PARSE, iterations);
	report("parse + struct_ops lookups", STRUCT_OPS, iterations);
	report("parse + struct_ops + 20 CO-RE struct lookups", CORE, iterations);
	return 0;
}
