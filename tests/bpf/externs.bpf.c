/* Externs the loader resolves: Kconfig values (.kconfig), a weak Kconfig value that does not
 * exist, a typed per-CPU kernel variable, a typeless kernel symbol (from kallsyms), kfunc calls
 * and a weak kfunc that does not exist. */
#include "common.h"

char _license[] SEC("license") = "GPL";

extern int CONFIG_HZ __kconfig;
extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern bool CONFIG_BPFSKELETON_DOES_NOT_EXIST __kconfig __weak;

/* Typed ksym: per-CPU variable described by vmlinux BTF. */
extern const struct rq runqueues __ksym;
/* Typeless ksym: only an address, looked up in /proc/kallsyms. */
extern const void _stext __ksym;

extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;
extern void bpfskeleton_missing_kfunc(void) __ksym __weak;

__u64 hz = 0;
__u64 kernel_version = 0;
__u64 missing_config = 0;
__u64 text_address = 0;
__u64 nr_running = 0;
int acquired_pid = 0;

SEC("tp_btf/sys_enter")
int BPF_PROG(read_externs, struct pt_regs *regs, long id)
{
	struct task_struct *task;
	struct rq *rq;

	hz = CONFIG_HZ;
	kernel_version = LINUX_KERNEL_VERSION;
	missing_config = CONFIG_BPFSKELETON_DOES_NOT_EXIST;
	text_address = (__u64)&_stext;

	rq = (struct rq *)bpf_per_cpu_ptr(&runqueues, 0);
	if (rq)
		nr_running = rq->nr_running;

	bpf_rcu_read_lock();
	task = bpf_task_acquire(bpf_get_current_task_btf());
	if (task) {
		acquired_pid = task->pid;
		bpf_task_release(task);
	}
	bpf_rcu_read_unlock();

	if (bpfskeleton_missing_kfunc)
		bpfskeleton_missing_kfunc();
	return 0;
}
