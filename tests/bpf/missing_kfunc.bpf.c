/* A program that calls a kfunc no kernel has, declared strong (not __weak): a regular load refuses it at
 * open-time resolution; a light skeleton's loader fails at its lookup step, naming the kfunc. */
#include "common.h"

char _license[] SEC("license") = "GPL";

extern void bpfskeleton_no_such_kfunc(void) __ksym;

SEC("syscall")
int call_missing(void *ctx)
{
	bpfskeleton_no_such_kfunc();
	return 0;
}
