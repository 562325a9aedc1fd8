#!/usr/bin/env bash
# Side-by-side: vmlinux BTF parse + struct_ops / CO-RE lookups, libbpf (C) vs BpfSkeleton (.NET).
# Prints a markdown table. Usage: bench/run-btf.sh [iterations]   (BENCH_NO_BUILD=1 skips the build;
# full BenchmarkDotNet run: dotnet run -c Release --project bench/BpfSkeleton.Benchmarks -- --filter '*Btf*')
# libbpf's btf__parse reads the file itself, so its times include the read; ours parse bytes
# read once, as the loader does after reading the file (the "read file + …" row includes the read).
set -euo pipefail
cd "$(dirname "$0")/.."
iterations="${1:-200}"
out="artifacts/bench/btf"
mkdir -p "$out"

gcc -O2 -Wall -o "$out/btf_parse" bench/reference/btf_parse.c -lbpf
[ "${BENCH_NO_BUILD:-}" = 1 ] || dotnet build -c Release bench/BpfSkeleton.Benchmarks -v quiet -nologo >/dev/null

"$out/btf_parse" "$iterations" >"$out/libbpf.txt"
dotnet artifacts/bin/BpfSkeleton.Benchmarks/release/BpfSkeleton.Benchmarks.dll --quick "$iterations" >"$out/dotnet.txt"

python3 - "$out" "$iterations" "$(stat -c %s /sys/kernel/btf/vmlinux)" <<'PY'
import re, sys

out, iterations, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
line = re.compile(r"^(\w+)\s+(.+?)\s+mean\s+([\d.]+) ms\s+best\s+([\d.]+) ms\s+first\s+([\d.]+) ms")

def read(path):
    return {m[2]: tuple(float(x) for x in m.groups()[2:]) for m in map(line.match, open(path)) if m}

c, d = read(f"{out}/libbpf.txt"), read(f"{out}/dotnet.txt")
# libbpf's btf__parse always reads the file: our row that reads it too is the like-for-like one.
c["read file + parse + struct_ops + 20 CO-RE"] = c["parse + struct_ops + 20 CO-RE struct lookups"]
print(f"vmlinux BTF of {size:,} bytes. libbpf rows include reading the file; ours parse bytes already read, except "
      f"the `read file + …` row, which compares with the same libbpf row. Warm: mean and best of {iterations} "
      "iterations in one process. First: the first call of that work in the process (only the first row runs in a "
      "fresh process: later rows reuse code the earlier ones warmed, JIT included). "
      "Speed = libbpf time / ours (>1: ours faster).\n")
print("| work | libbpf warm mean ms | ours warm mean ms | speed | libbpf best | ours best | libbpf first | ours first | first speed |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for work, (dm, db, df) in d.items():
    if work in c:
        cm, cb, cf = c[work]
        print(f"| {work} | {cm:.2f} | {dm:.2f} | {cm / dm:.2f}× | {cb:.2f} | {db:.2f} | {cf:.2f} | {df:.2f} | {cf / df:.2f}× |")
PY
