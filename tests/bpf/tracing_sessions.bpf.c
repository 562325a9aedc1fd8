/* The tracing sections libbpf 1.8 added: fsession (one program at entry and exit) and the multi forms that
 * name a pattern of functions. Each must open as a tracing program of its attach type, not as unknown. */
#include "common.h"

char _license[] SEC("license") = "GPL";

SEC("fsession/bpf_fentry_test1")
int session(void *ctx) { return 0; }

SEC("fsession.s/bpf_fentry_test1")
int session_sleepable(void *ctx) { return 0; }

SEC("fentry.multi/bpf_fentry_test*")
int entry_multi(void *ctx) { return 0; }

SEC("fexit.multi/bpf_fentry_test*")
int exit_multi(void *ctx) { return 0; }

SEC("fsession.multi/bpf_fentry_test*")
int session_multi(void *ctx) { return 0; }

SEC("fentry.multi.s/bpf_fentry_test1")
int entry_multi_sleepable(void *ctx) { return 0; }

SEC("fexit.multi.s/bpf_fentry_test1")
int exit_multi_sleepable(void *ctx) { return 0; }

SEC("fsession.multi.s/bpf_fentry_test1")
int session_multi_sleepable(void *ctx) { return 0; }

SEC("fentry.multi")
int entry_multi_untargeted(void *ctx) { return 0; }
