#!/usr/bin/env bash
# Side-by-side: vmlinux BTF parse + struct_ops / CO-RE lookups, libbpf (C) vs BpfSkeleton (.NET).
# Usage: bench/run-btf.sh [iterations]   (full BenchmarkDotNet run:
#   dotnet run -c Release --project bench/BpfSkeleton.Benchmarks -- --filter '*')
# libbpf's btf__parse reads the file itself, so its times include the read; ours parse bytes
# read once, as the loader does after reading the file.
set -euo pipefail
cd "$(dirname "$0")/.."
iterations="${1:-200}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

gcc -O2 -Wall -o "$out/btf_parse" bench/reference/btf_parse.c -lbpf
dotnet build -c Release bench/BpfSkeleton.Benchmarks -v quiet -nologo >/dev/null

echo "vmlinux BTF: $(stat -c %s /sys/kernel/btf/vmlinux) bytes; $iterations iterations each"
"$out/btf_parse" "$iterations"
dotnet run -c Release --no-build --project bench/BpfSkeleton.Benchmarks -- --quick "$iterations"
