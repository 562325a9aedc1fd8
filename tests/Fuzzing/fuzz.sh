#!/usr/bin/env bash
# Fuzzes open (BpfObjectSpec.Parse) for longer than the suite does.
#   tests/Fuzzing/fuzz.sh mutate [COUNT] [SEED]   seeded mutation run in process (no AFL needed), default 1,000,000
#   tests/Fuzzing/fuzz.sh afl [SECONDS]           coverage-guided run: AFL++ on the SharpFuzz-instrumented loader
# Seeds are tests/Fuzzing/corpus (the test objects without DWARF). Crashes land in the current directory
# (mutate) or in tests/Fuzzing/findings/default/crashes (afl); replay one with: fuzz.sh replay FILE.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../../artifacts/bin/BpfSkeleton.Fuzzing/release"
dotnet build "$here/BpfSkeleton.Fuzzing.csproj" -c Release --nologo -v quiet >/dev/null
harness=(dotnet "$out/BpfSkeleton.Fuzzing.dll")

case "${1:-mutate}" in
  mutate)
    "${harness[@]}" mutate "$here/corpus" "${2:-1000000}" "${3:-1}" ;;
  replay)
    shift; "${harness[@]}" replay "$@" ;;
  afl)
    command -v afl-fuzz >/dev/null || apt-get install -y afl++
    command -v sharpfuzz >/dev/null || dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0
    export PATH="$PATH:$HOME/.dotnet/tools"
    # SharpFuzz instruments the assembly under test in place (AFL then sees its branches): in a copy of the
    # harness, so the instrumented loader never reaches a build or test.
    afl_dir="$here/../../artifacts/fuzz-afl"
    rm -rf "$afl_dir" && cp -r "$out" "$afl_dir"
    sharpfuzz "$afl_dir/BpfSkeleton.dll"
    export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1
    timeout --signal=INT "${2:-600}" afl-fuzz -i "$here/corpus" -o "$here/findings" -t 10000 -m none -- dotnet "$afl_dir/BpfSkeleton.Fuzzing.dll" afl || true
    grep -E "execs_done|execs_per_sec|saved_crashes|saved_hangs|corpus_count" "$here/findings/default/fuzzer_stats" ;;
  *)
    echo "usage: $0 mutate [COUNT] [SEED] | afl [SECONDS] | replay FILE..." >&2; exit 2 ;;
esac
