#!/usr/bin/env bash
# Ring buffer drain rate: BpfSkeleton (BenchmarkDotNet) next to libbpf (bench/reference/ringbuf_drain.c),
# both draining the same ringbuf.bpf.o producer. Needs root, gcc and libbpf-dev. Prints a markdown
# table of events/s and ratios, for a delegate handler and for a struct IRingBufferHandler (the fast
# path). BENCH_NO_BUILD=1 skips the dotnet build.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
out="$repo/artifacts/bench/ringbuf"
mkdir -p "$out"

[ "${BENCH_NO_BUILD:-}" = 1 ] || dotnet build "$repo/bench/BpfSkeleton.Benchmarks" -c Release --nologo -v quiet >/dev/null
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

print("The same producer (ringbuf.bpf.o `produce`, test-run) fills a 32 MiB ring with 1,048,576 16-byte records; "
      "one timed drain empties it. Median of 20 drains. Speed = ours / libbpf (>1: ours faster).\n")
print("| drain | ours handler | libbpf events/s | ours events/s | speed | ours allocated/event |")
print("| --- | --- | ---: | ---: | ---: | ---: |")
for method, key, handler in (("Consume", "consume", "delegate"), ("Poll", "poll", "delegate"),
                             ("ConsumeStruct", "consume", "IRingBufferHandler struct"), ("PollStruct", "poll", "IRingBufferHandler struct")):
    value, unit = rows[method]["Median"].replace(",", "").split()
    dotnet = 1.0 / (float(value) * units[unit])
    reference = float(libbpf[key])
    print(f"| {key} | {handler} | {reference:,.0f} | {dotnet:,.0f} | {dotnet / reference:.2f}× | {rows[method].get('Allocated', '?')} |")
PY
