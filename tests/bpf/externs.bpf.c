/* Externs the loader resolves, observed by attaching to sys_enter and making a syscall:
 * Kconfig values of every supported type (int, bool, tristate, char array) and the LINUX_*
 * virtual ones, a weak Kconfig value that does not exist, typed per-CPU ksyms (runqueues,
 * bpf_prog_active; the kernel resolves their addresses only with CONFIG_KALLSYMS_ALL, so they
 * live in their own program), a typeless ksym (kallsyms), weak ksyms that do not exist (typed and
 * typeless), kfunc calls, a kfunc address check and a weak kfunc that does not exist, guarded
 * with bpf_ksym_exists() so its call is dead code. */
#include "common.h"

char _license[] SEC("license") = "GPL";

#ifndef bpf_ksym_exists
#define bpf_ksym_exists(sym) (!!(sym))
#endif

extern int CONFIG_HZ __kconfig;
extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern bool LINUX_HAS_BPF_COOKIE __kconfig;
extern bool LINUX_HAS_SYSCALL_WRAPPER __kconfig;
extern bool CONFIG_BPF __kconfig;
extern enum libbpf_tristate CONFIG_BPF_SYSCALL __kconfig;
extern char CONFIG_DEFAULT_HOSTNAME[8] __kconfig;
extern bool CONFIG_BPFSKELETON_DOES_NOT_EXIST __kconfig __weak;

/* Typed ksyms: per-CPU variables described by vmlinux BTF. */
extern const struct rq runqueues __ksym;
extern const int bpf_prog_active __ksym;
/* Typeless ksym: only an address, looked up in /proc/kallsyms. */
extern const void _stext __ksym;
extern const int bpfskeleton_missing_var __ksym __weak;
extern const void bpfskeleton_missing_sym __ksym __weak;

extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;
extern void bpfskeleton_missing_kfunc(void) __ksym __weak;

int target_tgid = 0;

__u64 hz = 0;
__u64 kernel_version = 0;
__u64 has_cookie = 0;
__u64 has_wrapper = 0;
__u64 config_bpf = 0;
__u64 config_bpf_syscall = 0;
char hostname[8] = {};
__u64 missing_config = 0;
__u64 text_address = 0;
__u64 runqueue_seen = 0;
__u64 prog_active_seen = 0;
__u64 missing_var_address = 1;
__u64 missing_sym_address = 1;
__u64 task_acquire_exists = 0;
__u64 missing_kfunc_exists = 1;
__u64 acquired_tgid = 0;
__u64 runs = 0;

SEC("tp_btf/sys_enter")
int BPF_PROG(read_externs, struct pt_regs *regs, long id)
{
	struct task_struct *task;

	if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;

	hz = CONFIG_HZ;
	kernel_version = LINUX_KERNEL_VERSION;
	has_cookie = LINUX_HAS_BPF_COOKIE;
	has_wrapper = LINUX_HAS_SYSCALL_WRAPPER;
	config_bpf = CONFIG_BPF;
	config_bpf_syscall = CONFIG_BPF_SYSCALL;
	__builtin_memcpy(hostname, CONFIG_DEFAULT_HOSTNAME, sizeof(hostname));
	missing_config = CONFIG_BPFSKELETON_DOES_NOT_EXIST;
	text_address = (__u64)&_stext;
	missing_var_address = (__u64)&bpfskeleton_missing_var;
	missing_sym_address = (__u64)&bpfskeleton_missing_sym;

	task_acquire_exists = bpf_ksym_exists(bpf_task_acquire);
	missing_kfunc_exists = bpf_ksym_exists(bpfskeleton_missing_kfunc);

	bpf_rcu_read_lock();
	task = bpf_task_acquire(bpf_get_current_task_btf());
	if (task) {
		acquired_tgid = task->tgid;
		bpf_task_release(task);
	}
	bpf_rcu_read_unlock();

	if (bpf_ksym_exists(bpfskeleton_missing_kfunc))
		bpfskeleton_missing_kfunc();
	runs++;
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(read_percpu_ksyms, struct pt_regs *regs, long id)
{
	struct rq *rq;
	const int *active;

	if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	rq = (struct rq *)bpf_per_cpu_ptr(&runqueues, 0);
	if (rq)
		runqueue_seen = rq->cpu == 0 ? 1 : 2;
	active = bpf_this_cpu_ptr(&bpf_prog_active);
	prog_active_seen = active ? 1 : 0;
	return 0;
}
