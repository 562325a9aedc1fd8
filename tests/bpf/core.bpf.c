/* CO-RE relocations of every kind clang-14 can emit: field offset/size/exists/signed,
 * bitfield shifts (BPF_CORE_READ_BITFIELD), local/target type ids, type exists/size,
 * enumerator exists/value. TYPE_MATCHES needs clang 15 and is compiled only there. */
#include "common.h"

char _license[] SEC("license") = "GPL";

/* A local "flavor" of a kernel struct: CO-RE matches it to task_struct by essential name. */
struct task_struct___local {
	int pid;
	int tgid;
	int does_not_exist;
} __attribute__((preserve_access_index));

enum bpf_map_type___local {
	BPF_MAP_TYPE_RINGBUF___local = 27,
	BPF_MAP_TYPE_MISSING___local = 1000,
};

struct core_results {
	__u64 pid_offset;
	__u64 pid_size;
	__u64 exists;
	__u64 missing_exists;
	__u64 pid_signed;
	__u64 bitfield;
	__u64 local_id;
	__u64 target_id;
	__u64 type_exists;
	__u64 type_size;
	__u64 type_matches;
	__u64 enum_exists;
	__u64 enum_value;
	__u64 missing_enum_exists;
};

struct core_results results = {};

SEC("raw_tp/sys_enter")
int core_probe(void *ctx)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct task_struct___local *local = (void *)task;

	results.pid_offset = bpf_core_field_offset(task->pid);
	results.pid_size = bpf_core_field_size(task->pid);
	results.exists = bpf_core_field_exists(local->tgid);
	results.missing_exists = bpf_core_field_exists(local->does_not_exist);
	results.pid_signed = __builtin_preserve_field_info(task->pid, BPF_FIELD_SIGNED);
	results.bitfield = BPF_CORE_READ_BITFIELD_PROBED(task, in_execve);
	results.local_id = bpf_core_type_id_local(struct task_struct);
	results.target_id = bpf_core_type_id_kernel(struct task_struct);
	results.type_exists = bpf_core_type_exists(struct task_struct___local);
	results.type_size = bpf_core_type_size(struct task_struct);
#if __clang_major__ >= 15
	results.type_matches = bpf_core_type_matches(struct task_struct___local);
#endif
	results.enum_exists = bpf_core_enum_value_exists(enum bpf_map_type___local, BPF_MAP_TYPE_RINGBUF___local);
	results.enum_value = bpf_core_enum_value(enum bpf_map_type___local, BPF_MAP_TYPE_RINGBUF___local);
	results.missing_enum_exists = bpf_core_enum_value_exists(enum bpf_map_type___local, BPF_MAP_TYPE_MISSING___local);
	return 0;
}
