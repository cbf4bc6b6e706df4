#!/usr/bin/env python3
"""The same chat load against SocketHub's text chat and against `ncat --broker --chat`.

N raw TCP clients; each sends one line every 1/rate seconds for the duration, and every client
counts the lines it receives from the others. One line reaching one other client is one
delivery, so a line sent makes N-1 deliveries. Each line carries a marker, counted at the
receivers, so the servers' own announcements do not count.

  SocketHub (--target sockethub): each client registers a user (open registration) on the text
    dialect, then sends `broadcast <marker> <n> <text>`; the others receive
    `<name> (broadcast): <marker> ...`.
  ncat --chat (--target ncat): no login; every line is relayed to all the other clients as
    `<user<fd>> <marker> ...`.

    ncat --broker --chat --listen --max-conns 2000 -p 24800 &
    python3 bench/chat_vs_ncat.py --target ncat --port 24800 --clients 100 --rate 20 --seconds 10
    python3 bench/chat_vs_ncat.py --target sockethub --port 24711 --clients 100 --rate 20 --seconds 10

Each line carries its send time; the first --probes clients time every marked line they receive
(latency: from the sender's write to the receiver's read, both in this process). With --pid the
server's CPU time (user + system, from /proc) is taken over the sending and draining only, not
the logins, and divided by the deliveries. `bench/run-e2e.sh vs-ncat` runs both targets and
prints the ratios.

SocketHub's flood limit (Chat:LinesPerSecond, default 5; Chat:LineBurst, 10) must allow --rate,
and logins are quicker with a low Chat:PasswordIterations (see docs/benchmarks.md). Every client
starts sending at the same moment, so each round of lines reaches the server as one burst;
--stagger spreads the clients' first lines over one interval instead.
"""
import argparse
import asyncio
import os
import time

from chatbench import User, count_marked, cpu_seconds, now_us, paced_send, text_login, wait_for_deliveries
from latency import summary

MARK = b"~q7~"
WARMUP_MARK = b"~w7~"


async def connect(args, client):
    reader, writer = await asyncio.open_connection(args.host, args.port, limit=1 << 20)
    if args.target == "sockethub":
        await text_login(reader, writer, client.name)
    return reader, writer


async def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", choices=["sockethub", "ncat"], required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rate", type=float, default=4, help="lines per second per client")
    parser.add_argument("--size", type=int, default=64, help="characters of text per line")
    parser.add_argument("--probes", type=int, default=10, help="clients that time every line they receive")
    parser.add_argument("--pid", type=int, help="the server's process: its CPU time over the run is reported")
    parser.add_argument("--stagger", action="store_true", help="spread the clients' first lines over one interval")
    parser.add_argument("--warmup", type=float, default=5,
                        help="seconds of the same load before the measured ones (not counted: the JIT tiers up meanwhile)")
    parser.add_argument("--measuring-file", help="created when the measured seconds begin (for a profiler to start)")
    args = parser.parse_args()

    run = os.urandom(3).hex()
    clients = [User(f"v{run}_{n}") for n in range(args.clients)]
    started = time.monotonic()
    connections = []
    for at in range(0, len(clients), 8):  # 8 at a time: a SocketHub login hashes a password
        connections += await asyncio.gather(*(connect(args, client) for client in clients[at:at + 8]))
    connect_seconds = time.monotonic() - started
    await asyncio.sleep(0.5)  # let ncat's "<announce> ... is connected" lines go by

    latencies = []
    receivers = [asyncio.create_task(count_marked(r, c, MARK, latencies if n < args.probes else None))
                 for n, ((r, _), c) in enumerate(zip(connections, clients))]
    payload = "x" * args.size
    prefix = "broadcast " if args.target == "sockethub" else ""
    offset = (lambda n: n / args.clients / args.rate) if args.stagger else (lambda n: 0.0)  # noqa: E731

    async def send_all(mark, seconds):
        line_for = lambda n: f"{prefix}{mark.decode()} {n} {now_us()} {payload}\n".encode()  # noqa: E731
        until = time.monotonic() + seconds
        await asyncio.gather(*(paced_send(w, c, line_for, args.rate, until, offset(n))
                               for n, ((_, w), c) in enumerate(zip(connections, clients))))

    cpu_start = cpu_seconds(args.pid) if args.pid else 0.0
    if args.warmup > 0:
        # The same load with a mark nobody counts, then the measured lines.
        await send_all(WARMUP_MARK, args.warmup)
        for client in clients:
            client.sent = 0
    cpu_before = cpu_seconds(args.pid) if args.pid else 0.0
    client_before = cpu_seconds(os.getpid())
    if args.measuring_file:
        open(args.measuring_file, "w").close()
    begin = time.monotonic()
    deadline = begin + args.seconds
    await send_all(MARK, args.seconds)
    sent = sum(c.sent for c in clients)
    expected = sent * (args.clients - 1)
    delivered, elapsed = await wait_for_deliveries(clients, expected, begin, deadline)
    cpu = cpu_seconds(args.pid) - cpu_before if args.pid else None
    client_cpu = cpu_seconds(os.getpid()) - client_before

    for _, writer in connections:
        writer.close()
    for task in receivers:
        task.cancel()
    closed = sum(c.closed for c in clients)
    print(f"target={args.target} clients={args.clients} rate={args.rate:g}/s/client seconds={args.seconds:g} "
          f"connect={connect_seconds:.1f}s lines={sent} lines_per_s={sent / args.seconds:.0f} "
          f"deliveries={delivered}/{expected} ({100.0 * delivered / max(expected, 1):.2f}%) "
          f"deliveries_per_s={delivered / elapsed:.0f} drain_s={elapsed - args.seconds:.1f} disconnected={closed}")
    print(f"{summary(latencies)} (probes={min(args.probes, args.clients)}, {len(latencies)} lines timed)")
    if cpu is not None:
        # One machine-readable line for bench/run-e2e.sh.
        ms = sorted(x * 1000 for x in latencies) or [float("nan")]
        p = lambda q: ms[min(len(ms) - 1, int(len(ms) * q))]  # noqa: E731
        print(f"result target={args.target} cpu_s={cpu:.2f} warmup_cpu_s={cpu_before - cpu_start:.2f} cpu_share={cpu / elapsed:.3f} "
              f"cpu_us_per_delivery={1e6 * cpu / max(delivered, 1):.2f} delivered_pct={100.0 * delivered / max(expected, 1):.2f} "
              f"p50_ms={p(0.50):.2f} p99_ms={p(0.99):.2f} disconnected={closed} client_cpu_s={client_cpu:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
