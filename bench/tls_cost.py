#!/usr/bin/env python3
"""What TLS costs the server: full handshakes per second with the server pinned to one core
(against the same connections without TLS),
and the server's memory per idle connection, TLS against plain. Starts its own Release server
(bench/run-e2e.sh build first) with every port moved by a random offset and a fresh data folder.

    python3 bench/tls_cost.py                      # 10 s of handshakes, 2,000 idle connections each way
    python3 bench/tls_cost.py --seconds 20 --idle 5000

Handshakes: --clients threads each connect to the board's TLS port, complete the handshake
(TLS 1.3, ECDSA P-256, session resumption off: every one is a full handshake), send GET%,
read the reply and close. The server runs under `taskset -c 0`; the clients on the other core.
Memory: VmRSS of the server before and after opening --idle connections (TLS: handshake done),
divided by their number.
"""
import argparse
import os
import random
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
DLL = os.path.join(HERE, "..", "src", "SocketHub.Server", "bin", "Release", "net10.0", "SocketHub.Server.dll")


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def handshakes(port, context, seconds, clients):
    done = [0] * clients
    stop = time.monotonic() + seconds

    def run(i):
        while time.monotonic() < stop:
            with socket.create_connection(("127.0.0.1", port)) as raw:
                conn = context.wrap_socket(raw, server_hostname="localhost") if context else raw
                conn.sendall(b"GET%")
                reply = b""
                while not reply.endswith(b"%"):
                    reply += conn.recv(65536)
                conn.close()
            done[i] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done)


def idle(port, count, context, source_count=8):
    held = []
    for n in range(count):
        raw = socket.socket()
        raw.bind((f"127.0.0.{n % source_count + 1}", 0))
        raw.connect(("127.0.0.1", port))
        held.append(context.wrap_socket(raw, server_hostname="localhost") if context else raw)
    return held


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", default=DLL)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--idle", type=int, default=2000)
    args = parser.parse_args()

    offset = random.randint(10000, 20000)
    board, board_tls, ops = 8080 + offset, 18080 + offset, 8088 + offset
    data = tempfile.mkdtemp(prefix="sockethub-tls-")
    server = subprocess.Popen(
        ["taskset", "-c", "0", "dotnet", args.server, f"--Storage:DataDirectory={data}", f"--Listen:PortOffset={offset}",
         "--Limits:ConnectionsPerAddress=100000", "--Board:IdleTimeoutSeconds=600", "--Serilog:MinimumLevel:Default=Warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            try:
                if urllib.request.urlopen(f"http://127.0.0.1:{ops}/health/ready", timeout=1).status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        context = ssl.create_default_context(cafile=os.path.join(data, "tls.crt"))
        context.check_hostname = True
        context.minimum_version = ssl.TLSVersion.TLSv1_3
        context.options |= ssl.OP_NO_TICKET  # no resumption: every handshake is a full one

        per_connection = {}
        for name, port, ctx in (("plain", board, None), ("TLS", board_tls, context)):
            handshakes(port, ctx, 3, args.clients)  # warm-up (JIT)
            before = cpu_seconds(server.pid)
            count = handshakes(port, ctx, args.seconds, args.clients)
            used = cpu_seconds(server.pid) - before
            per_connection[name] = used / count * 1e6
            print(f"{name}: {count / args.seconds:.0f} connections/s (connect, GET%, close) over {args.seconds:.0f} s with the server on one core "
                  f"({used / args.seconds * 100:.0f}% of it busy; {per_connection[name]:.0f} µs server CPU each)")
        print(f"a full TLS handshake costs the server about {per_connection['TLS'] - per_connection['plain']:.0f} µs of CPU "
              f"(≈ {1e6 / (per_connection['TLS'] - per_connection['plain']):.0f} handshakes/s on one core, beside the connection's own cost)")
        print(f"load average: {os.getloadavg()[0]:.2f}")

        for name, port, ctx in (("plain", board, None), ("TLS", board_tls, context)):
            base = rss_kb(server.pid)
            held = idle(port, args.idle, ctx)
            time.sleep(2)  # let the server settle the accepts (a measurement pause, not a wait for an event)
            grown = rss_kb(server.pid) - base
            print(f"{name}: {args.idle} idle connections, server VmRSS +{grown / 1024:.1f} MiB, {grown * 1024 / args.idle / 1024:.1f} KiB each")
            for s in held:
                s.close()
            time.sleep(2)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    sys.exit(main())
