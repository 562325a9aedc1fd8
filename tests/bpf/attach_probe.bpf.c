/* Uprobes on libc's getppid() (explicit and from section names), and kprobe
 * sections for kernels that have kprobes. */
#include "attach_counts.h"

char LICENSE[] SEC("license") = "GPL";

SEC("uprobe")
int on_uprobe(struct pt_regs *ctx)
{
	if (!from_target())
		return 0;
	count(SLOT_UPROBE);
	store(SLOT_COOKIE, bpf_get_attach_cookie(ctx));
	return 0;
}

SEC("uretprobe/libc.so.6:getppid")
int on_uretprobe(struct pt_regs *ctx)
{
	if (from_target())
		count(SLOT_URETPROBE);
	return 0;
}

SEC("uprobe.s/libc.so.6:getppid")
int on_uprobe_sleepable(struct pt_regs *ctx)
{
	if (from_target())
		count(SLOT_UPROBE_SLEEPABLE);
	return 0;
}

SEC("uprobe.multi/libc.so.6:getppi?")
int on_uprobe_multi(struct pt_regs *ctx)
{
	if (from_target())
		count(SLOT_UPROBE_MULTI);
	return 0;
}

SEC("kprobe/do_nanosleep")
int on_kprobe(struct pt_regs *ctx)
{
	count(SLOT_KPROBE);
	return 0;
}

SEC("kretprobe/do_nanosleep")
int on_kretprobe(struct pt_regs *ctx)
{
	count(SLOT_KPROBE);
	return 0;
}

SEC("ksyscall/getppid")
int on_ksyscall(struct pt_regs *ctx)
{
	if (from_target())
		count(SLOT_KPROBE);
	return 0;
}

SEC("kprobe.multi/do_nanosleep*")
int on_kprobe_multi(struct pt_regs *ctx)
{
	count(SLOT_KPROBE);
	return 0;
}
