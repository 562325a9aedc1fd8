// SPDX-License-Identifier: MIT
/* libbpf reference for bench/ColdStart: open, load and attach one object, then exit (destroying
 * everything). Usage: cold_start OBJECT [STRUCT_OPS_MAP [SKIPPED_PROGRAM...]] — the same
 * arguments as load_objects.c. With COLD_START_PRINT_LOAD=1 it prints "load_ms N": the time of
 * bpf_object__load, the process's first load (bench/run-coldstart.sh reads it). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/libbpf.h>

static int silent(enum libbpf_print_level level, const char *format, va_list args)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, format, args) : 0;
}

int main(int argc, char **argv)
{
	const char *struct_ops = argc > 2 ? argv[2] : NULL;
	struct bpf_link *links[256];
	struct bpf_program *prog;
	struct bpf_object *obj;
	struct bpf_map *map;
	int count = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s OBJECT [STRUCT_OPS_MAP [SKIPPED_PROGRAM...]]\n", argv[0]);
		return 2;
	}
	libbpf_set_print(silent);
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj)
		return 1;
	for (int i = 3; i < argc; i++)
		bpf_program__set_autoload(bpf_object__find_program_by_name(obj, argv[i]), false);
	bpf_object__for_each_map(map, obj)
		if (struct_ops && bpf_map__type(map) == BPF_MAP_TYPE_STRUCT_OPS)
			bpf_map__set_autocreate(map, strcmp(bpf_map__name(map), struct_ops) == 0);
	struct timespec before, after;
	clock_gettime(CLOCK_MONOTONIC, &before);
	if (bpf_object__load(obj))
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &after);
	if (getenv("COLD_START_PRINT_LOAD"))
		printf("load_ms %.3f\n", (after.tv_sec - before.tv_sec) * 1e3 + (after.tv_nsec - before.tv_nsec) / 1e6);
	bpf_object__for_each_program(prog, obj) {
		if (!bpf_program__autoload(prog) || bpf_program__type(prog) == BPF_PROG_TYPE_STRUCT_OPS)
			continue;
		links[count] = bpf_program__attach(prog);
		if (links[count])
			count++;
		else if (errno != EOPNOTSUPP && errno != ESRCH)
			return 1;
	}
	bpf_object__for_each_map(map, obj)
		if (struct_ops && bpf_map__type(map) == BPF_MAP_TYPE_STRUCT_OPS && bpf_map__autocreate(map))
			if ((links[count] = bpf_map__attach_struct_ops(map)))
				count++;
	for (int i = 0; i < count; i++)
		bpf_link__destroy(links[i]);
	bpf_object__close(obj);
	return count > 0 ? 0 : 1;
}
