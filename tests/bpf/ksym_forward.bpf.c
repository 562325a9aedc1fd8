/* A typed __ksym __weak extern whose type the object only forward-declares, as sched_ext's headers do with
 * psi_group_cpu: it opens (no size is needed), and a symbol the kernel lacks resolves to NULL. */
#include "common.h"

char _license[] SEC("license") = "GPL";

struct bpfsk_opaque_type;
extern struct bpfsk_opaque_type bpfsk_missing_opaque __ksym __weak;

SEC("syscall")
int probe_opaque(void *ctx)
{
	return &bpfsk_missing_opaque ? 1 : 2; /* bpf_ksym_exists() is newer than these headers */
}
