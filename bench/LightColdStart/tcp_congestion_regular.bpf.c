// SPDX-License-Identifier: MIT
/* examples/TcpCongestion's object, for the regular skeleton beside the light one. */
#include "../../examples/TcpCongestion/tcp_congestion.bpf.c"
