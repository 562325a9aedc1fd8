/* Time spent inside bpf(2), counted by bpf_syscall_timer.c. */
#pragma once

struct bpf_syscall_time {
	unsigned long long calls;
	unsigned long long ns;
};

/* Running totals since the process started. */
struct bpf_syscall_time bpf_syscall_time_now(void);
