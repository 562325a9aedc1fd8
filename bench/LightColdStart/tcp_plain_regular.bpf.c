// SPDX-License-Identifier: MIT
/* The same object, for the regular skeleton beside the light one. */
#include "tcp_plain.bpf.c"
