#!/usr/bin/env bash
# Light skeletons, cold process to attached: a new process opens, loads and attaches one object through
# a generated skeleton, then exits. Ours (bench/LightColdStart: light and regular skeletons, NativeAOT when
# the NativeAOT pack restores, and ReadyToRun) next to libbpf's light skeleton (bpftool gen skeleton -L,
# header-only) and libbpf's regular load (bench/reference/cold_start.c), in one hyperfine run per object.
# Prints a markdown table. Usage: bench/run-light-coldstart.sh [runs]
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-30}"
out="$repo/artifacts/bench/light-coldstart"
mkdir -p "$out"
project="$repo/bench/LightColdStart"
objects="$repo/artifacts/obj/BpfSkeleton.LightColdStart/release/bpfskeleton"
export PATH="$PATH:/usr/sbin:/sbin"
command -v hyperfine >/dev/null || apt-get install -y hyperfine >/dev/null

dotnet build "$repo/src/Tool" -c Release -nologo -v quiet >/dev/null
dotnet build "$project" -c Release -nologo -v quiet >/dev/null
rm -rf "$out/aot" "$out/r2r"
aot_note=""
if ! dotnet publish "$project" -c Release -r linux-x64 -p:BenchNativeAot=true -nologo -v quiet -o "$out/aot" >"$out/aot.log" 2>&1; then
    aot_note="$(grep -m1 -o 'error [A-Z0-9]*: [^[]*' "$out/aot.log" || tail -1 "$out/aot.log")"
fi
dotnet publish "$project" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -nologo -v quiet -o "$out/r2r" >/dev/null

# libbpf: the light skeleton of the same object, and the regular load of it and of the struct_ops object.
bpftool gen skeleton -L "$objects/light_probe.bpf.o" name light_probe >"$out/light_probe.lskel.h"
gcc -O2 -Wall -I"$out" -o "$out/light_cold_start" "$repo/bench/reference/light_cold_start.c"
gcc -O2 -Wall -o "$out/cold_start" "$repo/bench/reference/cold_start.c" -lbpf

ours=()
[ -x "$out/aot/BpfSkeleton.LightColdStart" ] && ours+=("$out/aot/BpfSkeleton.LightColdStart")
ours+=("$out/r2r/BpfSkeleton.LightColdStart")

probe=("$out/light_cold_start" "$out/cold_start $objects/light_probe_regular.bpf.o")
tcp=("$out/cold_start $objects/tcp_plain_regular.bpf.o bench_cc")
for binary in "${ours[@]}"; do
    probe+=("$binary probe" "$binary probe-regular")
    tcp+=("$binary tcp" "$binary tcp-regular")
done
hyperfine -N --warmup 3 --runs "$runs" --export-json "$out/probe.json" "${probe[@]}" >"$out/probe.log" 2>&1 || { cat "$out/probe.log" >&2; exit 1; }
hyperfine -N --warmup 3 --runs "$runs" --export-json "$out/tcp.json" "${tcp[@]}" >"$out/tcp.log" 2>&1 || { cat "$out/tcp.log" >&2; exit 1; }

python3 - "$out" "$runs" "$aot_note" <<'PY'
import json, sys

out, runs, aot_note = sys.argv[1], sys.argv[2], sys.argv[3]

def kind(command):
    if "/light_cold_start" in command: return "libbpf light skeleton (C, header-only)"
    if "/cold_start " in command: return "libbpf regular load (C)"
    form = "NativeAOT" if "/aot/" in command else "ReadyToRun"
    return f"ours, {'regular' if command.endswith('-regular') else 'light'} skeleton, {form}"

print(f"hyperfine, {runs} runs after 3 warm-ups: median (min) wall ms from exec to exit, user + system CPU ms, "
      "and each row's median over the first row's.\n")
print("| object | loader | median ms | min ms | user + sys ms | × first row |")
print("| --- | --- | ---: | ---: | ---: | ---: |")
for name, file in (("light_probe (raw_tp + globals)", "probe"), ("tcp_plain (plain struct_ops)", "tcp")):
    results = json.load(open(f"{out}/{file}.json"))["results"]
    base = results[0]["median"]
    for r in results:
        cpu = (r["user"] + r["system"]) * 1e3
        print(f"| {name} | {kind(r['command'])} | {r['median'] * 1e3:.1f} | {r['min'] * 1e3:.1f} | {cpu:.1f} | {r['median'] / base:.2f} |")
print("\nlibbpf's light skeleton has no struct_ops row: libbpf's gen_loader does not record struct_ops maps.")
if aot_note:
    print(f"\nNativeAOT not measured: publishing with PublishAot=true failed here ({aot_note.strip()}).")
PY
