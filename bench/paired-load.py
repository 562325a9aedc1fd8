#!/usr/bin/env python3
"""User-space time of open + load, libbpf against ours, in paired rounds.

For each object, starts `load_objects OBJECT serve` (libbpf) and `BpfSkeleton.Benchmarks --load-serve
OBJECT` side by side; both warm up (ours until the tiered JIT has settled), then answer requests in
turn, the order flipping every pair:
  - after attach/destroy: one round each (open, load, attach, destroy); every round starts after the
    previous round's detach, which sleeps tens of ms, so caches have cooled as they do for a program
    that loads its objects once;
  - hot loop: a block of back-to-back rounds without attach each, median per block.
User-space time = open + load minus the time load spent inside bpf(2). A pair's two measurements are
at most a block apart, so the drift of this shared machine (±25 % between minutes) lands on both; the
table gives each side's median and the median and 10th–90th percentile of the per-pair ratio.
A second table gives each side's idle penalty: its after-idle median minus its hot median.

Usage: paired-load.py LOAD_OBJECTS BENCHMARKS_DLL NAME|OBJECT|STRUCT_OPS|SKIPPED... [COLD_PAIRS HOT_PAIRS HOT_ROUNDS]
"""
import os
import statistics
import sys

import serve_protocol


def ask(process, attach, rounds):
    return serve_protocol.ask(process, f"{attach} {rounds}")


def pairs(libbpf, ours, count, attach, rounds):
    results = []
    for pair in range(count):
        if pair % 2 == 0:
            c = ask(libbpf, attach, rounds)
            o = ask(ours, attach, rounds)
        else:
            o = ask(ours, attach, rounds)
            c = ask(libbpf, attach, rounds)
        results.append((c, o))
    return results


def row(name, label, results):
    c = [r[0] for r in results]
    o = [r[1] for r in results]
    ratios = sorted(y / x for x, y in results)
    deciles = statistics.quantiles(ratios, n=10)
    ratio = statistics.median(ratios)
    verdict = "met" if deciles[-1] <= 0.5 else ("met (median)" if ratio <= 0.5 else "**missed**")
    return (f"| {name} | {label} | {statistics.median(c):.1f} | {statistics.median(o):.1f} | {ratio:.2f} "
            f"| {deciles[0]:.2f}–{deciles[-1]:.2f} | {verdict} |")


def penalty(name, cold, hot):
    """What a round after idle costs over a hot one, per side (medians): the time caches, TLBs and
    branch predictors take to warm up again. Added to both sides, it pulls the after-idle ratio
    towards 1: (ours + P) / (libbpf + P) stays above 0.5 unless ours < libbpf / 2 - P / 2."""
    c = statistics.median(r[0] for r in cold) - statistics.median(r[0] for r in hot)
    o = statistics.median(r[1] for r in cold) - statistics.median(r[1] for r in hot)
    return f"| {name} | {c:.1f} | {o:.1f} | {o / c:.2f} |" if c > 0 else f"| {name} | {c:.1f} | {o:.1f} | – |"


def main():
    load_objects, dll = sys.argv[1], sys.argv[2]
    cases = [a for a in sys.argv[3:] if "|" in a]
    numbers = [int(a) for a in sys.argv[3:] if "|" not in a]
    cold_pairs, hot_pairs, hot_rounds = (numbers + [40, 20, 30][len(numbers):])[:3]
    print(f"| object | rows | libbpf µs | ours µs | ours / libbpf (median of pairs) | 10th–90th percentile | target ≤ 0.50 |")
    print("| --- | --- | ---: | ---: | ---: | ---: | --- |")
    penalties = []
    for case in cases:
        name, path, struct_ops, *skipped = case.split("|")
        skipped = [s for s in skipped if s]
        libbpf = serve_protocol.start([load_objects, path, "serve", struct_ops or "-"] + skipped, ready=True)
        ours = serve_protocol.start(["dotnet", dll, "--load-serve", path, struct_ops or "-"],
                                    dict(os.environ, BPFSKELETON_TIME_BPF="1"), ready=True)
        try:
            cold = pairs(libbpf, ours, cold_pairs, 1, 1)
            hot = pairs(libbpf, ours, hot_pairs, 0, hot_rounds)
        finally:
            serve_protocol.stop((libbpf, ours))
        print(row(name, "after attach/destroy", cold))
        print(row(name, f"hot loop ({hot_rounds}-round blocks)", hot))
        sys.stdout.flush()
        penalties.append(penalty(name, cold, hot))
    print()
    print("| object | idle penalty, libbpf µs | idle penalty, ours µs | ours / libbpf |")
    print("| --- | ---: | ---: | ---: |")
    for line in penalties:
        print(line)


if __name__ == "__main__":
    main()
