#!/usr/bin/env python3
"""Time from starting the server process to GET /health/ready answering 200, --runs times
(each with a fresh data directory, so the database is created and migrated each time); prints
each run and the median, and the CPU time the server used until then.

    python3 bench/startup_time.py --runs 5
"""
import argparse
import http.client
import os
import random
import shutil
import statistics
import subprocess
import tempfile
import time

PORT_IN_USE = 3  # the server's exit code when a port is taken
SERVER = "src/SocketHub.Server/bin/Release/net10.0/SocketHub.Server.dll"


def cpu_seconds(pid):
    """utime + stime of a process so far, in seconds (CPU the start used: less sensitive to a busy machine than the wall time)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def ready(port):
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        conn.request("GET", "/health/ready")
        status = conn.getresponse().status
        conn.close()
        return status == 200
    except OSError:
        return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--server", default=SERVER)
    parser.add_argument("--restart", action="store_true", help="reuse one data directory made by an uncounted first start")
    args = parser.parse_args()

    kept = tempfile.mkdtemp(prefix="sockethub-startup-") if args.restart else None
    times, cpus = [], []
    first = args.restart
    while len(times) < args.runs:
        run = len(times)
        data = kept or tempfile.mkdtemp(prefix="sockethub-startup-")
        # Every listener at its default port plus the offset; the ops port is 8088 plus it.
        offset = random.randint(10000, 20000)
        base = 8088 + offset
        command = ["dotnet", args.server, f"--Storage:DataDirectory={data}", f"--Listen:PortOffset={offset}",
                   "--Serilog:MinimumLevel:Default=Warning"]
        started = time.monotonic()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        elapsed = None
        try:
            while not ready(base):
                if process.poll() == PORT_IN_USE:
                    break  # another program holds one of the ports (the machine is shared): try another offset
                if process.poll() is not None:
                    raise SystemExit(f"the server exited with {process.returncode}")
                if time.monotonic() - started > 60:
                    raise SystemExit("not ready after 60 s")
                time.sleep(0.005)
            else:
                elapsed = time.monotonic() - started
                cpu = cpu_seconds(process.pid)
        finally:
            process.terminate()
            process.wait()
            if kept is None:
                shutil.rmtree(data, ignore_errors=True)
        if elapsed is None:
            continue
        if first:
            first = False  # the start that made the data directory: not counted
            continue
        times.append(elapsed)
        cpus.append(cpu)
        print(f"run {run + 1}: {elapsed * 1000:.0f} ms, server CPU {cpu * 1000:.0f} ms", flush=True)
    print(f"median={statistics.median(times) * 1000:.0f} ms min={min(times) * 1000:.0f} max={max(times) * 1000:.0f} runs={len(times)}"
          f" cpu_median={statistics.median(cpus) * 1000:.0f} ms")
    if kept:
        shutil.rmtree(kept, ignore_errors=True)


if __name__ == "__main__":
    main()
