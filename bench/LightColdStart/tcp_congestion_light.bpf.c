// SPDX-License-Identifier: MIT
/* examples/TcpCongestion's object, for the light skeleton. */
#include "../../examples/TcpCongestion/tcp_congestion.bpf.c"
