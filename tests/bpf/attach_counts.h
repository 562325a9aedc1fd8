/* Shared by the attach_*.bpf.c test objects: one counter per hook, and the
 * process whose events count (set through .rodata before load; 0 = every process). */
#pragma once
#include "common.h"

enum attach_slot {
	SLOT_TRACEPOINT,
	SLOT_RAW_TP,
	SLOT_TP_BTF,
	SLOT_UPROBE,
	SLOT_URETPROBE,
	SLOT_UPROBE_SLEEPABLE,
	SLOT_UPROBE_MULTI,
	SLOT_KPROBE,
	SLOT_PERF_EVENT,
	SLOT_CGROUP_EGRESS,
	SLOT_SOCK_CREATE,
	SLOT_XDP,
	SLOT_TCX,
	SLOT_NETFILTER,
	SLOT_SK_LOOKUP,
	SLOT_SK_MSG,
	SLOT_COOKIE,
	SLOT_NETKIT,
	SLOT_COUNT,
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SLOT_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

const volatile __u32 target_tgid = 0;

static __always_inline bool from_target(void)
{
	return target_tgid == 0 || (bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

static __always_inline void count(__u32 slot)
{
	__u64 *value = bpf_map_lookup_elem(&counts, &slot);
	if (value)
		__sync_fetch_and_add(value, 1);
}

static __always_inline void store(__u32 slot, __u64 v)
{
	__u64 *value = bpf_map_lookup_elem(&counts, &slot);
	if (value)
		*value = v;
}
