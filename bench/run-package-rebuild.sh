#!/usr/bin/env bash
# No-change rebuild of a package consumer next to a plain console app: packs BpfSkeleton into a
# folder feed, creates the .ci/check-package app (one BpfCompile item, vmlinux.h generated) and
# an empty console app, builds both once, then times `dotnet build` of each, alternating, so both
# see the same machine load. Prints each run and the medians.
# Usage: bench/run-package-rebuild.sh [runs] [work-directory]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
export PATH="$PATH:/usr/sbin:/sbin" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
runs="${1:-7}"
work="${2:-$(mktemp -d /tmp/bpfskeleton-rebuild-XXXXXX)}"
version="0.0.0-bench.$(date +%s)"
mkdir -p "$work"

dotnet pack "$repo/src/Runtime" -c Release -nologo -v quiet -o "$work/feed" -p:Version="$version" >/dev/null

mkdir -p "$work/package-app" "$work/console-app"
cat >"$work/nuget.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources><add key="local" value="$work/feed" /></packageSources>
  <config><add key="globalPackagesFolder" value="$work/packages" /></config>
</configuration>
CONFIG
cat >"$work/package-app/App.csproj" <<PROJECT
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <BpfGenerateVmlinuxHeader>true</BpfGenerateVmlinuxHeader>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="BpfSkeleton" Version="$version" />
    <BpfCompile Include="hello.bpf.c" />
  </ItemGroup>
</Project>
PROJECT
cat >"$work/package-app/hello.bpf.c" <<'C'
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
char _license[] SEC("license") = "GPL";
__u64 calls = 0;
SEC("tracepoint/syscalls/sys_enter_getpid")
int count_getpid(void *ctx) { __sync_fetch_and_add(&calls, 1); return 0; }
C
echo 'System.Console.WriteLine(App.HelloSkeleton.ObjectBytes.Length);' >"$work/package-app/Program.cs"
cat >"$work/console-app/Console.csproj" <<'PROJECT'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
  </PropertyGroup>
</Project>
PROJECT
echo 'System.Console.WriteLine("hello");' >"$work/console-app/Program.cs"

for app in package-app console-app; do dotnet build "$work/$app" -nologo -v quiet >/dev/null; done

seconds() { local start end; start=$(date +%s%N); dotnet build "$1" -nologo -v quiet >/dev/null; end=$(date +%s%N); echo "scale=2; ($end - $start) / 1000000000" | bc; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
package_times=() console_times=()
for _ in $(seq "$runs"); do
    package_times+=("$(seconds "$work/package-app")")
    console_times+=("$(seconds "$work/console-app")")
done
package_median="$(printf '%s\n' "${package_times[@]}" | median)"
console_median="$(printf '%s\n' "${console_times[@]}" | median)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared)"
echo "package app runs (s): ${package_times[*]}"
echo "console app runs (s): ${console_times[*]}"
echo "median package app: $package_median s, console app: $console_median s, ratio $(echo "scale=2; $package_median / $console_median" | bc)"
