#!/usr/bin/env python3
"""Map operations, libbpf against ours, in paired blocks.

Starts `map_ops --serve` (libbpf), the same with a second, idle thread (BENCH_IDLE_THREAD=1) and
`BpfSkeleton.Benchmarks --maps-serve` side by side, all pinned to the same CPU, and asks them for timed
blocks in turn (the order rotates every round), a few tens of milliseconds each. Both processes stay warm, and the machine's drift
(which moves whole runs by ±25 % here) lands on both halves of a pair alike, so the ratio of a pair
measures the loaders and not the minute. Prints, per operation, the median ops/s of each side and the
median, 10th and 90th percentile of the per-round ratio ours / libbpf.

Why the idle thread: the kernel's fdget() takes a reference on the file only once a process's fd table
is shared, that is once it has a second thread, as every .NET process has. That column shows how much
of a gap is this kernel cost rather than user-space code.

Usage: paired-maps.py MAP_OPS_BINARY BENCHMARKS_DLL [ROUNDS] [CPU]
"""
import os
import statistics
import sys

import serve_protocol

# Calls per block: about 30 ms per block at this machine's rates.
OPERATIONS = {"Lookup": 20000, "Update": 20000, "UpdateThenDelete": 10000, "LookupBatch": 30, "UpdateBatch": 20}
WARMUP_ROUNDS = 5


def start(command, cpu, env=None):
    return serve_protocol.start(["taskset", "-c", str(cpu)] + command, env)


def main():
    map_ops, dll = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 60
    cpu = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    sides = [start([map_ops, "--serve"], cpu),
             start([map_ops, "--serve"], cpu, dict(os.environ, BENCH_IDLE_THREAD="1")),
             start(["dotnet", dll, "--maps-serve"], cpu)]
    rates = {op: [[] for _ in sides] for op in OPERATIONS}
    try:
        for round_ in range(-WARMUP_ROUNDS, rounds):
            for operation, calls in OPERATIONS.items():
                # Rotate who goes first, so no side always follows the same one.
                for k in range(len(sides)):
                    index = (round_ + k) % len(sides)
                    rate = serve_protocol.ask(sides[index], f"{operation} {calls}")
                    if round_ >= 0:
                        rates[operation][index].append(rate)
    finally:
        serve_protocol.stop(sides)

    def spread(ours, reference):
        ratios = sorted(o / r for o, r in zip(ours, reference))
        deciles = statistics.quantiles(ratios, n=10)
        return f"{statistics.median(ratios):.3f}× ({deciles[0]:.2f}–{deciles[-1]:.2f})"

    print(f"| operation | libbpf ops/s | libbpf, 2 threads | ours ops/s | ours / libbpf, median of {rounds} rounds (10th–90th pct) | ours / libbpf, 2 threads |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for operation, (single, threaded, ours) in rates.items():
        print(f"| {operation} | {statistics.median(single):,.0f} | {statistics.median(threaded):,.0f} | {statistics.median(ours):,.0f} | "
              f"{spread(ours, single)} | {spread(ours, threaded)} |")


if __name__ == "__main__":
    main()
