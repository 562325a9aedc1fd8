#!/usr/bin/env bash
# Ring buffer drain rate: BpfSkeleton (BenchmarkDotNet) next to libbpf (bench/reference/ringbuf_drain.c),
# both draining the same ringbuf.bpf.o producer. Needs root, gcc and libbpf-dev. Prints events/s and ratios,
# for a delegate handler and for a struct IRingBufferHandler (the fast path).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
out="$repo/artifacts/bench"
mkdir -p "$out"

dotnet build "$repo/bench/BpfSkeleton.Benchmarks" -c Release --nologo -v quiet >/dev/null
bench_bin="$repo/artifacts/bin/BpfSkeleton.Benchmarks/release"
object="$bench_bin/bpf/ringbuf.bpf.o"

gcc -O2 -Wall -o "$out/ringbuf_drain" "$repo/bench/reference/ringbuf_drain.c" -lbpf
"$out/ringbuf_drain" "$object" 2>/dev/null >"$out/libbpf.txt"

# BenchmarkDotNet writes its reports under the working directory.
(cd "$out" && dotnet "$bench_bin/BpfSkeleton.Benchmarks.dll" --filter '*RingBufferBenchmarks*' --exporters csv >"$out/dotnet.log")
report="$out/BenchmarkDotNet.Artifacts/results/BpfSkeleton.Benchmarks.RingBufferBenchmarks-report.csv"

python3 - "$out/libbpf.txt" "$report" <<'PY'
import csv, sys

units = {"ns": 1e-9, "μs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}
libbpf = dict(line.split() for line in open(sys.argv[1]) if line.strip())
rows = {row["Method"]: row for row in csv.DictReader(open(sys.argv[2]))}

print(f"{'drain':<30}{'libbpf events/s':>18}{'BpfSkeleton events/s':>23}{'ratio':>8}  allocated/event")
for method, key, handler in (("Consume", "consume", "delegate"), ("Poll", "poll", "delegate"),
                             ("ConsumeStruct", "consume", "IRingBufferHandler"), ("PollStruct", "poll", "IRingBufferHandler")):
    value, unit = rows[method]["Median"].replace(",", "").split()
    dotnet = 1.0 / (float(value) * units[unit])
    reference = float(libbpf[key])
    print(f"{key + ' (' + handler + ')':<30}{reference:>18,.0f}{dotnet:>23,.0f}{dotnet / reference:>7.2f}x  {rows[method].get('Allocated', '?')}")
PY
