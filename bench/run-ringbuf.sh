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
# Rounds alternate C and .NET, so drift on a shared machine hits both sides alike.
rounds="${BENCH_RINGBUF_ROUNDS:-3}"
for round in $(seq "$rounds"); do
    "$out/ringbuf_drain" "$object" 2>/dev/null >"$out/libbpf.$round.txt"
    # BenchmarkDotNet writes its reports under the working directory.
    mkdir -p "$out/$round"
    (cd "$out/$round" && dotnet "$bench_bin/BpfSkeleton.Benchmarks.dll" --filter '*RingBufferBenchmarks*' --exporters csv >"$out/dotnet.$round.log")
done

python3 - "$out" "$rounds" <<'PY'
import csv, statistics, sys

units = {"ns": 1e-9, "μs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}
out, rounds = sys.argv[1], int(sys.argv[2])
libbpfs = [dict(line.split() for line in open(f"{out}/libbpf.{r}.txt") if line.strip()) for r in range(1, rounds + 1)]
tables = [{row["Method"]: row for row in csv.DictReader(open(f"{out}/{r}/BenchmarkDotNet.Artifacts/results/BpfSkeleton.Benchmarks.RingBufferBenchmarks-report.csv"))}
          for r in range(1, rounds + 1)]

print(f"The same producer (ringbuf.bpf.o `produce`, test-run) fills a 32 MiB ring with 1,048,576 16-byte records; "
      f"one timed drain empties it. {rounds} rounds, each the C reference then ours; each side's figure per round is the median of 20 drains, "
      f"after 3 warm-up drains for C and 60 for ours (the drain loop is tiered: this is a long-running reader's steady state). "
      "events/s: median over rounds; speed = median of the rounds' ours / libbpf (>1: ours faster).\n")
print("| drain | ours handler | libbpf events/s | ours events/s | speed | ours allocated/event |")
print("| --- | --- | ---: | ---: | ---: | ---: |")
for method, key, handler in (("Consume", "consume", "delegate"), ("Poll", "poll", "delegate"),
                             ("ConsumeStruct", "consume", "IRingBufferHandler struct"), ("PollStruct", "poll", "IRingBufferHandler struct")):
    ours, reference = [], []
    for rows, libbpf in zip(tables, libbpfs):
        value, unit = rows[method]["Median"].replace(",", "").split()
        ours.append(1.0 / (float(value) * units[unit]))
        reference.append(float(libbpf[key]))
    speed = statistics.median(o / c for o, c in zip(ours, reference))
    print(f"| {key} | {handler} | {statistics.median(reference):,.0f} | {statistics.median(ours):,.0f} | {speed:.2f}× "
          f"| {tables[-1][method].get('Allocated', '?')} |")
PY
