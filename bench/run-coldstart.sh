#!/usr/bin/env bash
# Cold process to attached: a new process opens, loads and attaches one object, then exits.
# libbpf (bench/reference/cold_start.c) next to bench/ColdStart published NativeAOT when the
# NativeAOT runtime pack can be restored, ReadyToRun, and plain JIT. Timed with hyperfine.
# Prints a markdown table. Usage: bench/run-coldstart.sh [runs]
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-20}"
out="$repo/artifacts/bench/coldstart"
mkdir -p "$out"
objects="$repo/artifacts/bin/BpfSkeleton.Benchmarks/release/bpf"
project="$repo/bench/ColdStart"
command -v hyperfine >/dev/null || apt-get install -y hyperfine >/dev/null

gcc -O2 -Wall -o "$out/cold_start" "$repo/bench/reference/cold_start.c" -lbpf
rm -rf "$out/aot" "$out/r2r"
aot_note=""
if ! dotnet publish "$project" -c Release -r linux-x64 -p:BenchNativeAot=true -nologo -v quiet -o "$out/aot" >"$out/aot.log" 2>&1; then
    aot_note="$(grep -m1 -o 'error NU1101: Unable to find package [^ ]*' "$out/aot.log" || tail -1 "$out/aot.log")"
fi
dotnet publish "$project" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -nologo -v quiet -o "$out/r2r" >/dev/null
dotnet build "$project" -c Release -nologo -v quiet >/dev/null
jit="$repo/artifacts/bin/BpfSkeleton.ColdStart/release/BpfSkeleton.ColdStart"

# name | libbpf arguments | our arguments (see load_objects.c for the skipped program)
cases=(
    "tcp_cc (struct_ops)|$objects/tcp_cc.bpf.o plain_cc cc_cong_avoid_alt|$objects/tcp_cc.bpf.o plain_cc"
    "globals (tracing + syscall)|$objects/globals.bpf.o|$objects/globals.bpf.o"
)
for index in "${!cases[@]}"; do
    IFS='|' read -r name c_args our_args <<<"${cases[$index]}"
    echo "$name" >"$out/$index.name"
    commands=("$out/cold_start $c_args")
    [ -x "$out/aot/BpfSkeleton.ColdStart" ] && commands+=("$out/aot/BpfSkeleton.ColdStart $our_args")
    commands+=("$out/r2r/BpfSkeleton.ColdStart $our_args" "$jit $our_args")
    if ! hyperfine -N --warmup 3 --runs "$runs" --export-json "$out/$index.json" "${commands[@]}" >"$out/$index.log" 2>&1; then
        cat "$out/$index.log" >&2
        exit 1
    fi
done

python3 - "$out" "${#cases[@]}" "$runs" "$aot_note" <<'PY'
import json, sys

out, count, runs, aot_note = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]

def kind(command):
    return ("libbpf (C)" if "/cold_start " in command else "ours, NativeAOT" if "/aot/" in command
            else "ours, ReadyToRun" if "/r2r/" in command else "ours, JIT")

print(f"hyperfine, {runs} runs after 3 warm-ups: median (min) wall ms from exec to exit, and user + system CPU ms. "
      "Speed = libbpf median / ours (>1: ours faster).\n")
print("| object | program | median ms | min ms | user + sys ms | speed |")
print("| --- | --- | ---: | ---: | ---: | ---: |")
for i in range(count):
    name = open(f"{out}/{i}.name").read().strip()
    results = json.load(open(f"{out}/{i}.json"))["results"]
    base = results[0]["median"]
    for r in results:
        cpu = (r["user"] + r["system"]) * 1e3
        print(f"| {name} | {kind(r['command'])} | {r['median'] * 1e3:.1f} | {r['min'] * 1e3:.1f} | {cpu:.1f} | {base / r['median']:.2f}× |")
if aot_note:
    print(f"\nNativeAOT not measured: publishing with PublishAot=true failed here ({aot_note.strip()}); "
          "the package source lacks the NativeAOT runtime pack, so ReadyToRun is the closest ahead-of-time form measured.")
PY
