#!/usr/bin/env bash
# Every benchmark side by side with libbpf, in one run, on the same BPF objects; writes
# docs/benchmarks.md (and prints it). Needs root. Installs gcc, libbpf-dev, clang-14, bpftool and
# hyperfine with apt when missing. About 20 minutes on 2 cores.
# Usage: bench/run-all.sh   (sections: bench/run-{btf,load,maps,ringbuf,generator,coldstart,light-coldstart}.sh)
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
out="$repo/artifacts/bench"
report="$repo/docs/benchmarks.md"
mkdir -p "$out/sections" "$(dirname "$report")"

missing=()
for tool in gcc:gcc clang-14:clang-14 bpftool:bpftool hyperfine:hyperfine python3:python3; do
    command -v "${tool%%:*}" >/dev/null || missing+=("${tool##*:}")
done
[ -f /usr/include/bpf/libbpf.h ] || missing+=(libbpf-dev)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}" >&2
    apt-get update -qq >/dev/null && apt-get install -y -qq "${missing[@]}" >/dev/null
fi

started="$(date -u '+%Y-%m-%d %H:%M UTC')"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
SECONDS=0

echo "building" >&2
dotnet build "$repo/bench/BpfSkeleton.Benchmarks" -c Release --nologo -v quiet >/dev/null
dotnet build "$repo/bench/BpfSkeleton.Generator.Benchmarks" -c Release --nologo -v quiet >/dev/null
export BENCH_NO_BUILD=1

# section file | title | command
sections=(
    "btf|Kernel BTF parse|$repo/bench/run-btf.sh 100"
    "load|Open, load, attach, destroy — and time inside bpf()|$repo/bench/run-load.sh 30"
    "maps|Map operations|$repo/bench/run-maps.sh"
    "ringbuf|Ring buffer drain|$repo/bench/run-ringbuf.sh"
    "generator|Generator time and embedded size vs bpftool gen skeleton|$repo/bench/run-generator.sh $out/load/core_load.bpf.o"
    "coldstart|Cold process to attached|$repo/bench/run-coldstart.sh 20"
    "light|Light skeletons: cold process to attached|$repo/bench/run-light-coldstart.sh 30"
)
for section in "${sections[@]}"; do
    IFS='|' read -r file title command <<<"$section"
    echo "running $file ($SECONDS s so far)" >&2
    {
        echo "## $title"
        echo
        # shellcheck disable=SC2086 # the command carries its arguments
        if ! $command 2>"$out/sections/$file.err"; then
            echo
            echo "**This section failed:** \`$(tail -1 "$out/sections/$file.err")\`"
        fi
        echo
    } >"$out/sections/$file.md"
done

load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
# Hand-written notes at the end of the report (a one-off comparison of revisions, targets met or missed)
# start at this marker and survive a new run.
kept=""
[ -f "$report" ] && kept="$(sed -n '/^<!-- kept by bench\/run-all.sh/,$p' "$report")"
{
    cat <<MD
# Benchmarks: BpfSkeleton next to libbpf

Written by \`bench/run-all.sh\` on $started in ${SECONDS} s; every number below comes from that one run,
ours and the C reference on the same BPF objects, one after the other.

| | |
| --- | --- |
| machine | $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB |
| kernel | Linux $(uname -r) |
| load average (1, 5, 15 min) | $load_before at the start, $load_after at the end — the machine is shared: other builds ran alongside, so take single numbers as ±20 % and compare within a row |
| .NET | $(dotnet --version) SDK, runtime $(dotnet --list-runtimes | awk '/NETCore.App/ {print $2}' | tail -1) |
| C reference | libbpf $(dpkg-query -W -f='${Version}' libbpf-dev | sed 's/^1://; s/-.*//') (Debian), gcc -O2, linked dynamically |
| BPF objects | clang-14 -O2 -g; tests/bpf/*.bpf.c and bench/gen-core-load.py |

**About the reference version.** Debian's libbpf 1.1.2 is what this machine has. Newer libbpf
(1.8) loads about 2× faster than 1.1 for objects that need kernel BTF, chiefly because it mmaps
\`/sys/kernel/btf/vmlinux\` instead of reading and copying it; libbpf 1.1 also parses kernel BTF
again for every object it loads, where BpfSkeleton parses it once per process. So the warm \`load\`
rows flatter us against any libbpf; the \`first load\` and cold-process rows are the like-for-like ones,
and against libbpf 1.8 expect those ratios to move against us by up to about 2×.

Speed columns are always "how many times faster ours is": above 1× we are faster, below 1× libbpf is.

MD
    for section in "${sections[@]}"; do
        cat "$out/sections/${section%%|*}.md"
    done
    [ -z "$kept" ] || printf '%s\n' "$kept"
} >"$report"
cat "$report"
