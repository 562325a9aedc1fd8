/* Shared prelude for test objects: kernel types from the running kernel's BTF
 * (vmlinux.h, generated at build time), helpers from Debian's libbpf-dev headers. */
#pragma once
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
