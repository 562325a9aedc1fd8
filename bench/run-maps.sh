#!/usr/bin/env bash
# Map element operations per second: BpfSkeleton (MapOpsBenchmarks, BenchmarkDotNet short job,
# with bytes allocated per operation) next to libbpf's bpf_map_*_elem / *_batch
# (bench/reference/map_ops.c) on a hash map of the same type and size. Prints a markdown table.
# BENCH_NO_BUILD=1 skips the dotnet build.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
out="$repo/artifacts/bench/maps"
mkdir -p "$out"
bench_bin="$repo/artifacts/bin/BpfSkeleton.Benchmarks/release"
[ "${BENCH_NO_BUILD:-}" = 1 ] || dotnet build "$repo/bench/BpfSkeleton.Benchmarks" -c Release --nologo -v quiet >/dev/null

gcc -O2 -Wall -o "$out/map_ops" "$repo/bench/reference/map_ops.c" -lbpf
"$out/map_ops" >"$out/libbpf.txt"
# BenchmarkDotNet writes its reports under the working directory.
(cd "$out" && dotnet "$bench_bin/BpfSkeleton.Benchmarks.dll" --short --filter '*MapOpsBenchmarks*' --exporters csv >"$out/dotnet.log")

python3 - "$out/libbpf.txt" "$out/BenchmarkDotNet.Artifacts/results/BpfSkeleton.Benchmarks.MapOpsBenchmarks-report.csv" <<'PY'
import csv, sys

units = {"ns": 1e-9, "μs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}
libbpf = dict(line.split() for line in open(sys.argv[1]) if line.strip())
rows = {row["Method"]: row for row in csv.DictReader(open(sys.argv[2]))}
labels = {"Lookup": "lookup", "Update": "update (existing key)", "UpdateThenDelete": "insert + delete (pair)",
          "LookupBatch": "lookup batch (per element, 1024 per walk)", "UpdateBatch": "update batch (per element, 1024 per call)"}

print("Hash map, u32 key → u64 value, 1,024 elements present. libbpf: median of 11 rounds of 51,200 operations; "
      "ours: BenchmarkDotNet short job, median. Speed = ours / libbpf (>1: ours faster).\n")
print("| operation | libbpf ops/s | ours ops/s | speed | ours allocated/op |")
print("| --- | ---: | ---: | ---: | ---: |")
for method, label in labels.items():
    value, unit = rows[method]["Median"].replace(",", "").split()
    ours = 1.0 / (float(value) * units[unit])
    reference = float(libbpf[method])
    allocated = rows[method].get("Allocated", "?")
    print(f"| {label} | {reference:,.0f} | {ours:,.0f} | {ours / reference:.2f}× | {'0 B' if allocated == '-' else allocated} |")
PY
