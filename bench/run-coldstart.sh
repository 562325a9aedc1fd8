#!/usr/bin/env bash
# Cold process to attached: a new process opens, loads and attaches one object, then exits.
# libbpf (bench/reference/cold_start.c) next to bench/ColdStart published NativeAOT when the
# NativeAOT runtime pack can be restored, ReadyToRun, and plain JIT. Prints markdown tables:
#  1. exec -> attached -> exit, timed with hyperfine (wall and CPU), plus each runtime's own start
#     (`--runtime-only`: the process exits before touching the loader);
#  2. per program, the first load inside the process (COLD_START_PRINT_LOAD=1: the time of load
#     alone, open and runtime start excluded) and the process's peak RSS, medians of runs taken in
#     turn (libbpf, ours, libbpf, ...) so the drift of a shared machine lands on every side;
#  3. where our first open, load and attach spend their time, phase by phase (bench/trace-first-load.py).
# COLDSTART_BASELINE=DIR adds rows for another build of ColdStart (DIR/aot, DIR/r2r, published the same
# way from another revision), labelled "before", to compare revisions in the same run.
# Usage: bench/run-coldstart.sh [runs]
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-20}"
out="$repo/artifacts/bench/coldstart"
mkdir -p "$out"
objects="$repo/artifacts/bin/BpfSkeleton.Benchmarks/release/bpf"
project="$repo/bench/ColdStart"
baseline="${COLDSTART_BASELINE:-}"
command -v hyperfine >/dev/null || apt-get install -y hyperfine >/dev/null
[ -x /usr/bin/time ] || apt-get install -y time >/dev/null

gcc -O2 -Wall -o "$out/cold_start" "$repo/bench/reference/cold_start.c" -lbpf
# The CO-RE-heavy object of bench/run-load.sh, compiled against the running kernel's vmlinux.h.
python3 "$repo/bench/gen-core-load.py" 30 >"$out/core_load.bpf.c"
clang-14 -g -O2 -target bpf -D__TARGET_ARCH_x86 -I"$repo/artifacts/obj/BpfSkeleton.Benchmarks/bpf/include" \
    -c "$out/core_load.bpf.c" -o "$out/core_load.bpf.o"
rm -rf "$out/aot" "$out/r2r"
aot_note=""
if ! dotnet publish "$project" -c Release -r linux-x64 -p:BenchNativeAot=true -nologo -v quiet -o "$out/aot" >"$out/aot.log" 2>&1; then
    aot_note="$(grep -m1 -o 'error NU1101: Unable to find package [^ ]*' "$out/aot.log" || tail -1 "$out/aot.log")"
fi
dotnet publish "$project" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -nologo -v quiet -o "$out/r2r" >/dev/null
dotnet build "$project" -c Release -nologo -v quiet >/dev/null
jit="$repo/artifacts/bin/BpfSkeleton.ColdStart/release/BpfSkeleton.ColdStart"

# Our programs as "label|path": NativeAOT (when published), ReadyToRun, JIT, then the baseline's.
ours=()
[ -x "$out/aot/BpfSkeleton.ColdStart" ] && ours+=("ours, NativeAOT|$out/aot/BpfSkeleton.ColdStart")
ours+=("ours, ReadyToRun|$out/r2r/BpfSkeleton.ColdStart" "ours, JIT|$jit")
if [ -n "$baseline" ]; then
    [ -x "$baseline/aot/BpfSkeleton.ColdStart" ] && ours+=("before, NativeAOT|$baseline/aot/BpfSkeleton.ColdStart")
    [ -x "$baseline/r2r/BpfSkeleton.ColdStart" ] && ours+=("before, ReadyToRun|$baseline/r2r/BpfSkeleton.ColdStart")
fi

# name | libbpf arguments | our arguments (see load_objects.c for the skipped program)
cases=(
    "tcp_cc (struct_ops)|$objects/tcp_cc.bpf.o plain_cc cc_cong_avoid_alt|$objects/tcp_cc.bpf.o plain_cc"
    "globals (tracing + syscall)|$objects/globals.bpf.o|$objects/globals.bpf.o"
    "core_load (30 CO-RE programs)|$out/core_load.bpf.o|$out/core_load.bpf.o"
)
rm -f "$out"/*.json "$out"/*.name "$out"/*.labels
for index in "${!cases[@]}"; do
    IFS='|' read -r name c_args our_args <<<"${cases[$index]}"
    echo "$name" >"$out/$index.name"
    commands=("$out/cold_start $c_args")
    labels=("libbpf (C)")
    for entry in "${ours[@]}"; do
        commands+=("${entry#*|} $our_args")
        labels+=("${entry%%|*}")
    done
    printf '%s\n' "${labels[@]}" >"$out/$index.labels"
    if ! hyperfine -N --warmup 3 --runs "$runs" --export-json "$out/$index.json" "${commands[@]}" >"$out/$index.log" 2>&1; then
        cat "$out/$index.log" >&2
        exit 1
    fi
done
# The runtimes' own start: the floor under every row of ours.
start_commands=()
start_labels=()
for entry in "${ours[@]}"; do
    case "$entry" in before*) continue ;; esac
    start_commands+=("${entry#*|} --runtime-only")
    start_labels+=("${entry%%|*}")
done
printf '%s\n' "${start_labels[@]}" >"$out/start.labels"
hyperfine -N --warmup 3 --runs "$runs" --export-json "$out/start.json" "${start_commands[@]}" >"$out/start.log" 2>&1

python3 - "$out" "${#cases[@]}" "$runs" "$aot_note" "$(uptime)" "${cases[@]}" -- "${ours[@]}" <<'PY'
import json, os, statistics, subprocess, sys

out, count, runs, aot_note, uptime = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
rest = sys.argv[6:]
split = rest.index("--")
cases, ours = rest[:split], rest[split + 1:]

print(f"hyperfine, {runs} runs after 3 warm-ups: median (min) wall ms from exec to exit, and user + system CPU ms (means). "
      f"Speed = libbpf median / ours (>1: ours faster). Load when this table started: {uptime.split('load average:')[-1].strip()}.\n")
print("| object | program | median ms | min ms | user + sys ms | speed |")
print("| --- | --- | ---: | ---: | ---: | ---: |")
for i in range(count):
    name = open(f"{out}/{i}.name").read().strip()
    labels = open(f"{out}/{i}.labels").read().split("\n")
    results = json.load(open(f"{out}/{i}.json"))["results"]
    base = results[0]["median"]
    for label, r in zip(labels, results):
        cpu = (r["user"] + r["system"]) * 1e3
        print(f"| {name} | {label} | {r['median'] * 1e3:.1f} | {r['min'] * 1e3:.1f} | {cpu:.1f} | {base / r['median']:.2f}× |")
labels = open(f"{out}/start.labels").read().split("\n")
for label, r in zip(labels, json.load(open(f"{out}/start.json"))["results"]):
    cpu = (r["user"] + r["system"]) * 1e3
    print(f"| runtime start only (`--runtime-only`) | {label} | {r['median'] * 1e3:.1f} | {r['min'] * 1e3:.1f} | {cpu:.1f} | |")


def run(command):
    """One process: its printed first-load ms and its peak RSS in KiB. The RSS comes from /usr/bin/time, not from
    this script's wait4: Linux carries a process's high-water RSS across exec, so a child forked from Python would
    report Python's RSS as its floor; /usr/bin/time's own is far below every program measured."""
    rss_file = f"{out}/rss"
    text = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_file] + command.split(), stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True, env=dict(os.environ, COLD_START_PRINT_LOAD="1")).stdout
    load = [float(line.split()[1]) for line in text.splitlines() if line.startswith("load_ms ")]
    return (load[0] if load else float("nan")), int(open(rss_file).read().split()[-1])


print(f"\nFirst load inside the process and peak RSS: {runs} processes per program, started in turn (libbpf, then each of ours, "
      "then libbpf again, ...); medians. The load is timed by the program itself (COLD_START_PRINT_LOAD=1): load alone, "
      "after runtime start and open. Peak RSS = the process's maximum resident set (/usr/bin/time %M). Ratio = ours / libbpf (<1: ours smaller or faster).\n")
print("| object | program | first load ms | ours / libbpf | peak RSS MiB | ours / libbpf |")
print("| --- | --- | ---: | ---: | ---: | ---: |")
for case in cases:
    name, c_args, our_args = case.split("|")
    programs = [("libbpf (C)", f"{out}/cold_start {c_args}")] + [(e.split("|")[0], f"{e.split('|')[1]} {our_args}") for e in ours]
    samples = {label: [] for label, _ in programs}
    for _ in range(runs):
        for label, command in programs:
            samples[label].append(run(command))
    c_load = statistics.median(s[0] for s in samples["libbpf (C)"])
    c_rss = statistics.median(s[1] for s in samples["libbpf (C)"])
    for label, _ in programs:
        load = statistics.median(s[0] for s in samples[label])
        rss = statistics.median(s[1] for s in samples[label])
        print(f"| {name} | {label} | {load:.2f} | {load / c_load:.2f} | {rss / 1024:.1f} | {rss / c_rss:.2f} |")
if aot_note:
    print(f"\nNativeAOT not measured: publishing with PublishAot=true failed here ({aot_note.strip()}); "
          "the package source lacks the NativeAOT runtime pack, so ReadyToRun is the closest ahead-of-time form measured.")
PY

# Where the time goes: the loader's own trace, per phase, for each of our builds (none for libbpf).
echo
echo "Where our first open, load and attach spend their time (\`bench/trace-first-load.py\`, $runs runs of each build in turn; median wall ms per phase, with the JIT's share in brackets; a phase includes those indented under it). The trace costs a little per phase (it times and formats each line), so its totals run a little above the untraced first-load column above."
for index in 0 2; do
    IFS='|' read -r name c_args our_args <<<"${cases[$index]}"
    echo
    echo "**$name**"
    echo
    programs=()
    for entry in "${ours[@]}"; do
        case "$entry" in before*) continue ;; esac
        programs+=("${entry%%|*}=${entry#*|} $our_args")
    done
    python3 "$repo/bench/trace-first-load.py" "$runs" "${programs[@]}"
done

