// SPDX-License-Identifier: MIT
/* libbpf's light skeleton reference for bench/run-light-coldstart.sh: open, load and attach the
 * light_probe object through the header `bpftool gen skeleton -L` writes (header-only, no libbpf),
 * then exit (destroying everything). */
#include <errno.h>
#include <unistd.h>
#include "light_probe.lskel.h"

int main(void)
{
	struct light_probe *skel = light_probe__open();

	if (!skel)
		return 1;
	skel->rodata->target_pid = getpid();
	if (light_probe__load(skel) || light_probe__attach(skel))
		return 1;
	light_probe__destroy(skel);
	return 0;
}
