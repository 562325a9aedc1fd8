#!/usr/bin/env python3
"""Where a process's first open, load and attach spend their time, per phase, from the loader's own trace.

Runs each program RUNS times, in turn (a, b, a, b, ...), with BPFSKELETON_TRACE_LOAD=1 and
BPFSKELETON_TIME_BPF=1, reads the trace lines it writes to stderr (src/Runtime/Logging/LoadTrace.cs), sums
repeated phases within a run (every probe, every program's CO-RE relocations, every CO-RE candidate
search), and prints a markdown table of each phase's median wall ms per program, with the median JIT ms
inside it where the JIT compiled anything. Indentation shows nesting: a phase includes the phases
indented under it, which the trace prints before it; rows keep the order of the last program's trace.

Usage: trace-first-load.py RUNS LABEL=COMMAND [LABEL=COMMAND...]
   e.g. trace-first-load.py 11 "NativeAOT=artifacts/bench/coldstart/aot/BpfSkeleton.ColdStart tcp_cc.bpf.o plain_cc"
"""
import os
import re
import statistics
import subprocess
import sys

LINE = re.compile(r"^bpfskeleton trace: (?P<indent> *)(?P<phase>.+?) (?P<ms>[0-9.]+) ms(?P<rest>.*)$")
JIT = re.compile(r"JIT (?P<methods>\d+) methods (?P<ms>[0-9.]+) ms")
# Phases that repeat per program, per name or per probe: summed within a run under one name.
GROUPS = [
    (re.compile(r"^CO-RE: \d+ relocations of '.*'$"), "CO-RE: relocations applied (all programs)"),
    (re.compile(r"^CO-RE: candidates for '.*' \(.*\) found in .*$"), "CO-RE: candidate searches (all names)"),
    (re.compile(r"^CO-RE: candidate index of .* built$"), "CO-RE: candidate index built"),
    (re.compile(r"^struct_ops: kernel type .* found$"), "struct_ops: kernel type found"),
    (re.compile(r"^kernel BTF: .*$"), "kernel BTF: read or mapped, and parsed"),
    (re.compile(r"^probe$"), "feature probes (all)"),
]


def normalize(phase):
    for pattern, name in GROUPS:
        if pattern.match(phase):
            return name
    return phase


def trace(command):
    """One run: {phase: (ms, jit ms)} summed over repeats, and the phases' order and depth."""
    env = dict(os.environ, BPFSKELETON_TRACE_LOAD="1", BPFSKELETON_TIME_BPF="1")
    stderr = subprocess.run(command.split(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env).stderr
    phases, order = {}, []
    for line in stderr.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        name = normalize(m["phase"])
        jit = JIT.search(m["rest"])
        ms, jit_ms = phases.get(name, (0.0, 0.0))
        phases[name] = (ms + float(m["ms"]), jit_ms + (float(jit["ms"]) if jit else 0.0))
        if name not in (n for n, _ in order):
            order.append((name, len(m["indent"]) // 2))
    return phases, order


def main():
    runs = int(sys.argv[1])
    programs = [a.split("=", 1) for a in sys.argv[2:]]
    samples = {label: [] for label, _ in programs}
    first_orders = {}
    for _ in range(runs):
        for label, command in programs:
            phases, seen = trace(command)
            samples[label].append(phases)
            first_orders.setdefault(label, seen)
    # Rows in the last program's order (usually the newest build), then any phase only the others have.
    order = []
    for label, _ in reversed(programs):
        for name, depth in first_orders[label]:
            if name not in (n for n, _ in order):
                order.append((name, depth))
    print("| phase | " + " | ".join(f"{label} ms" for label, _ in programs) + " |")
    print("| --- | " + " | ".join("---:" for _ in programs) + " |")
    for name, depth in order:
        cells = []
        for label, _ in programs:
            values = [run.get(name, (0.0, 0.0)) for run in samples[label]]
            ms = statistics.median(v[0] for v in values)
            jit = statistics.median(v[1] for v in values)
            cells.append(f"{ms:.2f}" + (f" (JIT {jit:.1f})" if jit >= 0.05 else ""))
        print(f"| {'&nbsp;' * 4 * depth}{name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
