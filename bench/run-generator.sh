#!/usr/bin/env bash
# Generator time per object (BenchmarkDotNet, short job) and embedded size, next to
# `bpftool gen skeleton` on the same objects (its .skel.h embeds the whole object). Prints a
# markdown table. Usage: bench/run-generator.sh [core_load.bpf.o]   (BENCH_NO_BUILD=1 skips the build)
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
out="$repo/artifacts/bench/generator"
mkdir -p "$out"
export BPFSKELETON_CORE_LOAD_OBJECT="${1:-}"
bin="$repo/artifacts/bin/BpfSkeleton.Generator.Benchmarks/release"
[ "${BENCH_NO_BUILD:-}" = 1 ] || dotnet build "$repo/bench/BpfSkeleton.Generator.Benchmarks" -c Release --nologo -v quiet >/dev/null
command -v hyperfine >/dev/null || apt-get install -y hyperfine >/dev/null

dotnet "$bin/BpfSkeleton.Generator.Benchmarks.dll" --sizes >"$out/sizes.txt"
while read -r object _; do
    name="$(basename "$object" .bpf.o)"
    bpftool gen skeleton "$object" >"$out/$name.skel.h" 2>/dev/null
    hyperfine -N --warmup 2 --runs 10 --export-json "$out/$name.bpftool.json" \
        "bpftool gen skeleton $object" >/dev/null 2>&1
done <"$out/sizes.txt"

# BenchmarkDotNet writes its reports under the working directory.
(cd "$out" && dotnet "$bin/BpfSkeleton.Generator.Benchmarks.dll" --filter '*GeneratorBenchmarks*' --job short \
    --exporters csv >"$out/dotnet.log")

python3 - "$out" "$BPFSKELETON_CORE_LOAD_OBJECT" <<'PY'
import csv, json, os, sys

out, core_load = sys.argv[1], sys.argv[2]
units = {"ns": 1e-6, "μs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1e3}
report = f"{out}/BenchmarkDotNet.Artifacts/results/BpfSkeleton.Generator.Benchmarks.GeneratorBenchmarks-report.csv"
rows = {}
for row in csv.DictReader(open(report)):
    value, unit = row["Median" if "Median" in row else "Mean"].replace(",", "").split()
    # BenchmarkDotNet shortens long parameter values: the one given by path is core_load.
    name = os.path.basename(core_load) if "(...)" in row["Object"] else row["Object"]
    rows[name] = (float(value) * units[unit], row.get("Allocated", "?"))

print("Generator: one run of a fresh generator driver over the object inside the compiler process "
      "(BenchmarkDotNet short job, median). bpftool: `bpftool gen skeleton` as a process (hyperfine median, "
      "process start included). Embedded: the object bytes the skeleton carries (bpftool: the whole object; "
      "ours: the object stripped of DWARF and sections the loader never reads).\n")
print("| object | object bytes | bpftool .skel.h bytes | bpftool embedded | ours embedded | ours generated source bytes | bpftool gen ms | our generator ms | generator allocated |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for line in open(f"{out}/sizes.txt"):
    path, size, embedded, source = line.split()
    name = os.path.basename(path)
    skel = os.path.getsize(f"{out}/{name[:-len('.bpf.o')]}.skel.h")
    bpftool_ms = json.load(open(f"{out}/{name[:-len('.bpf.o')]}.bpftool.json"))["results"][0]["median"] * 1e3
    ms, allocated = rows.get(name, (float("nan"), "?"))
    print(f"| {name} | {int(size):,} | {skel:,} | {int(size):,} | {int(embedded):,} ({int(embedded) / int(size):.2f}×) "
          f"| {int(source):,} | {bpftool_ms:.1f} | {ms:.1f} | {allocated} |")
PY
