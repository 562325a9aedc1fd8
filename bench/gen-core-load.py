#!/usr/bin/env python3
"""Writes core_load.bpf.c: a CO-RE-heavy object for the open/load/attach benchmark.

N programs (default 30), all auto-attachable (raw_tp/ and tp_btf/ sections, so attach is
measured too), each calling several of a pool of shared static subprograms that read many
task_struct, sock and related fields through BPF_CORE_READ — hundreds of CO-RE relocations
against a few dozen kernel types, linked into every program that calls them.

Usage: bench/gen-core-load.py [PROGRAMS] > core_load.bpf.c   (compile with clang -target bpf
and a vmlinux.h from the running kernel; bench/run-load.sh does it)."""
import sys

PROGRAMS = int(sys.argv[1]) if len(sys.argv) > 1 else 30

# Shared subprograms: name, parameter type, BPF_CORE_READ chains (all present in 6.x kernels).
SUBPROGRAMS = [
    ("task_ids", "struct task_struct", ["pid", "tgid", "flags", "prio", "static_prio", "normal_prio",
                                        "policy", "exit_code", "exit_signal", "utime", "stime", "nvcsw",
                                        "nivcsw", "start_time", "min_flt", "maj_flt"]),
    ("task_family", "struct task_struct", ["real_parent, tgid", "real_parent, pid", "group_leader, pid",
                                           "real_parent, real_parent, tgid", "group_leader, start_time",
                                           "real_parent, flags"]),
    ("task_mm", "struct task_struct", ["mm, total_vm", "mm, locked_vm", "mm, data_vm", "mm, exec_vm",
                                       "mm, stack_vm", "mm, start_code", "mm, end_code", "mm, start_brk",
                                       "mm, brk", "mm, start_stack", "mm, arg_start", "mm, env_start",
                                       "mm, map_count"]),
    ("task_cred", "struct task_struct", ["cred, uid.val", "cred, gid.val", "cred, euid.val", "cred, egid.val",
                                         "cred, suid.val", "cred, fsuid.val", "cred, securebits",
                                         "real_cred, uid.val", "cred, user_ns, level"]),
    ("task_ns", "struct task_struct", ["nsproxy, pid_ns_for_children, level", "nsproxy, net_ns, ifindex",
                                       "nsproxy, uts_ns, ns.inum", "nsproxy, mnt_ns, ns.inum",
                                       "nsproxy, ipc_ns, ns.inum", "nsproxy, cgroup_ns, ns.inum"]),
    ("task_files", "struct task_struct", ["files, next_fd", "files, fdt, max_fds", "fs, umask", "fs, users",
                                          "signal, nr_threads", "signal, group_exit_code", "sighand, count.refs.counter",
                                          "mm, exe_file, f_flags", "mm, exe_file, f_inode, i_ino",
                                          "mm, exe_file, f_inode, i_mode", "mm, exe_file, f_inode, i_sb, s_magic"]),
    ("sock_common", "struct sock", ["__sk_common.skc_family", "__sk_common.skc_num", "__sk_common.skc_dport",
                                    "__sk_common.skc_state", "__sk_common.skc_daddr", "__sk_common.skc_rcv_saddr",
                                    "__sk_common.skc_bound_dev_if", "__sk_common.skc_hash"]),
    ("sock_buffers", "struct sock", ["sk_rcvbuf", "sk_sndbuf", "sk_priority", "sk_mark", "sk_type",
                                     "sk_protocol", "sk_err", "sk_ack_backlog", "sk_max_ack_backlog",
                                     "sk_wmem_queued", "sk_forward_alloc", "sk_socket, state", "sk_socket, type"]),
    ("tcp_state", "struct tcp_sock", ["snd_cwnd", "snd_ssthresh", "srtt_us", "mdev_us", "rcv_nxt", "snd_nxt",
                                      "snd_una", "mss_cache", "packets_out", "retrans_out", "rcv_wnd",
                                      "write_seq", "copied_seq", "inet_conn.icsk_inet.inet_saddr",
                                      "inet_conn.icsk_inet.inet_sport", "inet_conn.icsk_retransmits"]),
]

# Auto-attachable targets: raw tracepoints by name and BTF-typed tracepoints.
SECTIONS = ["raw_tp/sys_enter", "raw_tp/sys_exit", "raw_tp/sched_switch", "raw_tp/sched_process_exec",
            "raw_tp/sched_process_fork", "raw_tp/sched_process_exit", "tp_btf/sched_wakeup",
            "tp_btf/sched_wakeup_new", "tp_btf/task_newtask", "tp_btf/sched_migrate_task"]


def subprogram(name, param, reads):
    lines = [f"static __noinline __u64 {name}({param} *p)", "{", "\t__u64 acc = 0;", ""]
    for chain in reads:
        lines.append(f"\tacc += (__u64)BPF_CORE_READ(p, {chain});")
    lines += ["\treturn acc;", "}", ""]
    return lines


def program(index):
    picks = [SUBPROGRAMS[(index + k) % len(SUBPROGRAMS)] for k in range(4)]
    lines = [f'SEC("{SECTIONS[index % len(SECTIONS)]}")', f"int prog_{index}(void *ctx)", "{",
             "\tstruct task_struct *task = (struct task_struct *)bpf_get_current_task();",
             "\tstruct sock *sk = (struct sock *)BPF_CORE_READ(task, files, fdt, fd);",
             "\t__u64 acc = BPF_CORE_READ(task, pid);", ""]
    for name, param, _ in picks:
        arg = "task" if param == "struct task_struct" else f"({param} *)sk"
        lines.append(f"\tacc += {name}({arg});")
    lines += [f"\tsink[{index % 64}] += acc;", "\treturn 0;", "}", ""]
    return lines


def main():
    out = [f"/* Generated by bench/gen-core-load.py ({PROGRAMS} programs): do not edit. */",
           '#include "vmlinux.h"', "#include <bpf/bpf_helpers.h>", "#include <bpf/bpf_tracing.h>",
           "#include <bpf/bpf_core_read.h>", "", 'char _license[] SEC("license") = "GPL";', "",
           "__u64 sink[64] = {};", ""]
    for name, param, reads in SUBPROGRAMS:
        out += subprogram(name, param, reads)
    for i in range(PROGRAMS):
        out += program(i)
    sys.stdout.write("\n".join(out))


main()
