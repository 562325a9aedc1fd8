/* Tracing hooks fired by the test's own getppid() calls, a perf_event
 * program on the software CPU clock, and a task iterator. */
#include "attach_counts.h"

char LICENSE[] SEC("license") = "GPL";

SEC("tracepoint/syscalls/sys_enter_getppid")
int on_tracepoint(void *ctx)
{
	if (from_target())
		count(SLOT_TRACEPOINT);
	return 0;
}

SEC("raw_tp/sys_enter")
int on_raw_tp(void *ctx)
{
	if (from_target())
		count(SLOT_RAW_TP);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(on_tp_btf, struct pt_regs *regs, long id)
{
	if (from_target())
		count(SLOT_TP_BTF);
	return 0;
}

SEC("perf_event")
int on_perf_event(struct bpf_perf_event_data *ctx)
{
	if (from_target())
		count(SLOT_PERF_EVENT);
	return 0;
}

/* The iterator context as the kernel lays it out (pointers in __bpf_md_ptr
 * unions), declared without CO-RE: these layouts are fixed UAPI-like ABI. */
struct task_iter_meta {
	struct seq_file *seq;
};

struct task_iter_ctx {
	struct task_iter_meta *meta;
	struct task_struct *task;
};

/* One line per task of the target process: "<tid>\n". */
SEC("iter/task")
int on_task(struct task_iter_ctx *ctx)
{
	struct task_struct *task = ctx->task;
	if (!task || (target_tgid != 0 && task->tgid != target_tgid))
		return 0;
	BPF_SEQ_PRINTF(ctx->meta->seq, "%d\n", task->pid);
	return 0;
}
