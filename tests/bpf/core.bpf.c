/* CO-RE relocations of every kind clang-14 can emit, run with BPF_PROG_TEST_RUN: field
 * offset/size/exists/signed, bitfield shifts (BPF_CORE_READ_BITFIELD_PROBED), local/target
 * type ids, type exists/size, enumerator exists/value; accesses through anonymous unions and
 * structs (sk_buff::next) and into arrays (task_struct::comm[4]); a flavored local struct and
 * enum matched to the kernel's by essential name; guarded accesses to fields and types the
 * kernel lacks (their relocations are poisoned, the dead branches verify). TYPE_MATCHES needs
 * clang 15 and is covered by unit tests on hand-made relocation records. */
#include "common.h"

char _license[] SEC("license") = "GPL";

/* A local "flavor" of a kernel struct: CO-RE matches it to task_struct by essential name. */
struct task_struct___local {
	int pid;
	int tgid;
	int does_not_exist;
	int also_missing;
} __attribute__((preserve_access_index));

struct bpfskeleton_no_such_type {
	int x;
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
	__u64 tgid;
	__u64 skb_next_offset;
	__u64 comm_offset;
	__u64 comm_size;
	__u64 comm4_offset;
	__u64 bitfield_size;
	__u64 bitfield_lshift;
	__u64 bitfield_rshift;
	__u64 bitfield_signed;
	__u64 missing_type_exists;
	__u64 missing_type_size;
	__u64 missing_field_guarded;
	__u64 flavored_pid;
};

struct core_results results = {};

SEC("raw_tp/sys_enter")
int core_probe(void *ctx)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct task_struct___local *local = (void *)task;
	struct sk_buff *skb = 0;

	results.pid_offset = bpf_core_field_offset(task->pid);
	results.pid_size = bpf_core_field_size(task->pid);
	results.exists = bpf_core_field_exists(local->tgid);
	results.missing_exists = bpf_core_field_exists(local->does_not_exist);
	results.pid_signed = __builtin_preserve_field_info(task->pid, BPF_FIELD_SIGNED);
	results.bitfield = BPF_CORE_READ_BITFIELD_PROBED(task, in_execve);
	results.bitfield_size = __builtin_preserve_field_info(task->in_execve, BPF_FIELD_BYTE_SIZE);
	results.bitfield_lshift = __builtin_preserve_field_info(task->in_execve, BPF_FIELD_LSHIFT_U64);
	results.bitfield_rshift = __builtin_preserve_field_info(task->in_execve, BPF_FIELD_RSHIFT_U64);
	results.bitfield_signed = __builtin_preserve_field_info(task->in_execve, BPF_FIELD_SIGNED);
	results.local_id = bpf_core_type_id_local(struct task_struct);
	results.target_id = bpf_core_type_id_kernel(struct task_struct);
	results.type_exists = bpf_core_type_exists(struct task_struct___local);
	results.type_size = bpf_core_type_size(struct task_struct);
	results.missing_type_exists = bpf_core_type_exists(struct bpfskeleton_no_such_type);
	results.missing_type_size = bpf_core_type_size(struct bpfskeleton_no_such_type);
#if __clang_major__ >= 15
	results.type_matches = bpf_core_type_matches(struct task_struct___local);
#endif
	results.enum_exists = bpf_core_enum_value_exists(enum bpf_map_type___local, BPF_MAP_TYPE_RINGBUF___local);
	results.enum_value = bpf_core_enum_value(enum bpf_map_type___local, BPF_MAP_TYPE_RINGBUF___local);
	results.missing_enum_exists = bpf_core_enum_value_exists(enum bpf_map_type___local, BPF_MAP_TYPE_MISSING___local);
	results.tgid = BPF_CORE_READ(task, tgid);
	results.flavored_pid = BPF_CORE_READ(local, pid);
	results.skb_next_offset = bpf_core_field_offset(skb->next);
	results.comm_offset = bpf_core_field_offset(task->comm);
	results.comm_size = bpf_core_field_size(task->comm);
	results.comm4_offset = bpf_core_field_offset(task->comm[4]);
	/* Poisoned but dead: the field does not exist, so the guard is a constant 0. */
	if (bpf_core_field_exists(local->also_missing))
		results.missing_field_guarded = BPF_CORE_READ(local, also_missing);
	else
		results.missing_field_guarded = 77;
	return 0;
}
