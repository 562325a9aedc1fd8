/* The semaphore-guarded probe of usdt_target. sdt.h's semaphores apply to every
 * probe of a translation unit, so this probe lives in its own file. */
#define _SDT_HAS_SEMAPHORES 1
#include <sys/sdt.h>

/* Incremented by the kernel while a uprobe with this ref_ctr_offset is attached. */
unsigned short bpfsk_sema_semaphore __attribute__((section(".probes"))) = 0;

unsigned short sema_count(void)
{
	return *(volatile unsigned short *)&bpfsk_sema_semaphore;
}

void fire_sema(void)
{
	/* The semaphore tells whether preparing the argument is worth it. */
	if (sema_count())
		DTRACE_PROBE1(bpfsk, sema, 0x5e3a);
}
