#!/usr/bin/env bash
# Map element operations per second: BpfSkeleton next to libbpf's bpf_map_*_elem / *_batch
# (bench/reference/map_ops.c) on a hash map of the same type and size. Prints markdown tables.
# Speed comes from bench/paired-maps.py (warm processes asked for alternating ~30 ms blocks);
# BenchmarkDotNet (one short job) gives our bytes allocated per operation and a cross-check of our rate.
# BENCH_NO_BUILD=1 skips the dotnet build; BENCH_MAP_ROUNDS sets the paired rounds (default 200).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
out="$repo/artifacts/bench/maps"
mkdir -p "$out"
bench_bin="$repo/artifacts/bin/BpfSkeleton.Benchmarks/release"
[ "${BENCH_NO_BUILD:-}" = 1 ] || dotnet build "$repo/bench/BpfSkeleton.Benchmarks" -c Release --nologo -v quiet >/dev/null

gcc -O2 -Wall -o "$out/map_ops" "$repo/bench/reference/map_ops.c" -lbpf -lpthread
rounds="${BENCH_MAP_ROUNDS:-200}"

echo "Hash map, u32 key → u64 value, 1,024 elements present. The three processes (libbpf; libbpf with a second, idle thread; ours) stay warm and are asked in turn for one timed block of about 30 ms each (the order rotates every round), all pinned to the same CPU, $rounds rounds after 5 warm-up rounds (\`bench/paired-maps.py\`). A whole run on this shared machine drifts by ±25 % from minute to minute, and a round's blocks are milliseconds apart, so each round's ratio compares the two sides under the same conditions; the table gives the median of those ratios and their 10th–90th percentile range. >1: ours faster."
echo
echo "\`libbpf, 2 threads\`: the kernel's fdget() takes a reference on the file only once the process's fd table is shared, that is once it has a second thread, as every .NET process has. That column is the like-for-like kernel path; the gap between the two libbpf columns is kernel cost, not user-space code."
echo
python3 "$repo/bench/paired-maps.py" "$out/map_ops" "$bench_bin/BpfSkeleton.Benchmarks.dll" "$rounds"
echo

# BenchmarkDotNet writes its reports under the working directory.
rm -rf "$out/bdn" && mkdir -p "$out/bdn"
(cd "$out/bdn" && dotnet "$bench_bin/BpfSkeleton.Benchmarks.dll" --short --filter '*MapOpsBenchmarks*' --exporters csv >"$out/dotnet.log")

python3 - "$out/bdn/BenchmarkDotNet.Artifacts/results/BpfSkeleton.Benchmarks.MapOpsBenchmarks-report.csv" <<'PY'
import csv, sys

units = {"ns": 1e-9, "μs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}
print("Ours under BenchmarkDotNet (short job, median; a separate run, so its rate is not comparable to the table above to better than the drift), with the bytes allocated per operation:\n")
print("| operation | ours ops/s (BenchmarkDotNet) | allocated/op |")
print("| --- | ---: | ---: |")
for row in csv.DictReader(open(sys.argv[1])):
    value, unit = row["Median"].replace(",", "").split()
    allocated = row.get("Allocated", "?")
    print(f"| {row['Method']} | {1.0 / (float(value) * units[unit]):,.0f} | {'0 B' if allocated == '-' else allocated} |")
PY
