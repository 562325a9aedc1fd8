"""The request/answer protocol of the benchmark servers (map_ops --serve, load_objects ... serve,
BpfSkeleton.Benchmarks --maps-serve / --load-serve): one request per stdin line, one number per
stdout line. Shared by bench/paired-maps.py and bench/paired-load.py."""
import subprocess
import sys


def start(command, env=None, ready=False):
    """Starts a server; with ready=True waits for its "ready" line (servers that warm up first)."""
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1, env=env)
    if ready and process.stdout.readline().strip() != "ready":
        sys.exit(f"{command[0]} did not start (exit code {process.wait()})")
    return process


def ask(process, request):
    """Sends one request line and returns the number the server answers."""
    process.stdin.write(request + "\n")
    process.stdin.flush()
    line = process.stdout.readline()
    if not line:
        sys.exit(f"a benchmark process ended early (exit code {process.wait()})")
    return float(line)


def stop(processes):
    for process in processes:
        process.stdin.close()
        process.wait()
