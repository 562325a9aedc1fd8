/* An extern function declared without __ksym: not a kfunc (not in .ksyms) and defined nowhere in the object.
 * libbpf refuses it at open; so must we, naming the symbol, rather than let the kernel reject the BTF. */
#include "common.h"

char _license[] SEC("license") = "GPL";

extern int not_a_kfunc(int value);

SEC("syscall")
int call_it(void *ctx)
{
	return not_a_kfunc(1);
}
