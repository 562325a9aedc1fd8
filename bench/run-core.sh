#!/bin/sh
# CO-RE relocation time, BpfSkeleton vs libbpf 1.1, side by side on one CO-RE-heavy object.
# Needs root (libbpf creates the object's maps), clang-14, bpftool, libbpf-dev, gcc.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=${BENCH_WORK:-/tmp/bpfskeleton-bench-core}
programs=${PROGRAMS:-30}
mkdir -p "$work"

bpftool btf dump file /sys/kernel/btf/vmlinux format c > "$work/vmlinux.h"
python3 "$here/gen-core-heavy.py" "$programs" > "$work/core_heavy.bpf.c"
clang-14 -g -O2 -target bpf -D__TARGET_ARCH_x86 -I"$work" -c "$work/core_heavy.bpf.c" -o "$work/core_heavy.bpf.o"
gcc -O2 -Wall -o "$work/core_relocate" "$here/reference/core_relocate.c" -lbpf -ldl

echo "== libbpf (bench/reference/core_relocate.c)"
"$work/core_relocate" "$work/core_heavy.bpf.o" "${RUNS:-20}"

echo "== BpfSkeleton (bench/BpfSkeleton.Benchmarks CoreBenchmarks)"
BPFSKELETON_CORE_OBJECT="$work/core_heavy.bpf.o" dotnet run -c Release --project "$here/BpfSkeleton.Benchmarks" -- \
    --filter '*CoreBenchmarks*' --job short --warmupCount 3 --iterationCount 10 --artifacts "$work/artifacts" "$@"
