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

Each line carries its send time. --probes of the clients (10) run in a process of their own,
which does nothing else, and time every marked line they receive: from the sender's write to
the probe's read (one clock, CLOCK_MONOTONIC, for every process). So the latency is not the time
a load process takes to read its other sockets: under a burst, that alone is milliseconds. The
probes send lines at the rate like every other client; the others run in processes of at most
--per-process (250) clients each, and the main process only coordinates. With --pid the
server's CPU time (user + system, from /proc) is taken over the measured sending and draining
only, after --warmup seconds of the same load (whose lines carry another mark and count for
nothing), and divided by the deliveries. `bench/run-e2e.sh vs-ncat` runs both targets and prints
the ratios.

SocketHub's flood limit (Chat:LinesPerSecond, default 5; Chat:LineBurst, 10) must allow --rate,
and logins are quicker with a low Chat:PasswordIterations (see docs/benchmarks.md). Every client
starts sending at the same moment, so each round of lines reaches the server as one burst;
--stagger spreads the clients' first lines over one interval instead.
"""
import argparse
import asyncio
import multiprocessing
import os
import time

from chatbench import User, count_marked, cpu_seconds, now_us, paced_send, text_login
from latency import summary

MARK = b"~q7~"
WARMUP_MARK = b"~w7~"
GRACE = 10  # seconds after the last line for the deliveries still on their way


async def connect(args, client):
    reader, writer = await asyncio.open_connection(args.host, args.port, limit=1 << 20)
    if args.target == "sockethub":
        await text_login(reader, writer, client.name)
    return reader, writer


async def sleep_until(at):
    await asyncio.sleep(max(0.0, at - time.monotonic()))


async def group(args, names, first, control, timed):
    """One process's clients: log in, report ready, then on the shared schedule send the
    warm-up and the measured lines, swap the counts sent with the other process, and wait for
    this group's deliveries. Returns what this group saw."""
    clients = [User(name) for name in names]
    started = time.monotonic()
    connections = []
    for at in range(0, len(clients), 8):  # 8 at a time: a SocketHub login hashes a password
        connections += await asyncio.gather(*(connect(args, client) for client in clients[at:at + 8]))
    connect_seconds = time.monotonic() - started
    await asyncio.sleep(0.5)  # let ncat's "<announce> ... is connected" lines go by

    latencies = [] if timed else None
    receivers = [asyncio.create_task(count_marked(r, c, MARK, latencies)) for (r, _), c in zip(connections, clients)]
    t0 = await control("ready")
    payload = "x" * args.size
    prefix = "broadcast " if args.target == "sockethub" else ""
    offset = (lambda n: (first + n) / args.clients / args.rate) if args.stagger else (lambda n: 0.0)  # noqa: E731

    async def send_all(mark, start, until):
        line_for = lambda n: f"{prefix}{mark.decode()} {n} {now_us()} {payload}\n".encode()  # noqa: E731
        await sleep_until(start)
        await asyncio.gather(*(paced_send(w, c, line_for, args.rate, until, offset(n))
                               for n, ((_, w), c) in enumerate(zip(connections, clients))))

    begin = t0 + args.warmup
    deadline = begin + args.seconds
    if args.warmup > 0:
        # The same load with a mark nobody counts, then the measured lines.
        await send_all(WARMUP_MARK, t0, begin)
        for client in clients:
            client.sent = 0
    await sleep_until(begin)
    client_before = cpu_seconds(os.getpid())
    await send_all(MARK, begin, deadline)
    sent = sum(c.sent for c in clients)
    total = sent + await control(("sent", sent))
    expected = sum(total - c.sent for c in clients)
    drain_until = time.monotonic() + GRACE
    while sum(c.received for c in clients) < expected and time.monotonic() < drain_until:
        await asyncio.sleep(0.05)
    client_cpu = cpu_seconds(os.getpid()) - client_before
    for _, writer in connections:
        writer.close()
    for task in receivers:
        task.cancel()
    return {
        "connect": connect_seconds, "sent": sent, "delivered": sum(c.received for c in clients),
        "expected": expected, "closed": sum(c.closed for c in clients), "latencies": latencies or [],
        "last": max([c.last for c in clients] + [deadline]), "client_cpu": client_cpu, "begin": begin,
    }


def group_process(args, names, first, timed, pipe):
    """One group of clients in a process of its own, steered by the main process over pipe."""
    async def control(message):
        pipe.send(message)
        return await asyncio.to_thread(pipe.recv)

    result = asyncio.run(group(args, names, first, control, timed))
    pipe.send(result)


def coordinate(args, pipes):
    """The main process holds no clients: it waits until every group is logged in, sets the
    schedule, reads the server's CPU at the start of the measured seconds and after the last
    group has drained, and gives each group the number of lines the others sent."""
    for pipe in pipes:
        assert pipe.recv() == "ready"
    cpu = {"start": cpu_seconds(args.pid) if args.pid else 0.0}
    t0 = time.monotonic() + 0.5
    for pipe in pipes:
        pipe.send(t0)
    time.sleep(max(0.0, t0 + args.warmup - time.monotonic()))
    cpu["before"] = cpu_seconds(args.pid) if args.pid else 0.0
    if args.measuring_file:
        open(args.measuring_file, "w").close()
    sent = [pipe.recv()[1] for pipe in pipes]
    for pipe, own in zip(pipes, sent):
        pipe.send(sum(sent) - own)
    results = [pipe.recv() for pipe in pipes]
    cpu["after"] = cpu_seconds(args.pid) if args.pid else 0.0
    return results, cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", choices=["sockethub", "ncat"], required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rate", type=float, default=4, help="lines per second per client")
    parser.add_argument("--size", type=int, default=64, help="characters of text per line")
    parser.add_argument("--probes", type=int, default=10, help="clients, in a process of their own, that time every line they receive")
    parser.add_argument("--per-process", type=int, default=250, help="clients per load process (besides the probes' own)")
    parser.add_argument("--pid", type=int, help="the server's process: its CPU time over the run is reported")
    parser.add_argument("--stagger", action="store_true", help="spread the clients' first lines over one interval")
    parser.add_argument("--warmup", type=float, default=5,
                        help="seconds of the same load before the measured ones (not counted: the JIT tiers up meanwhile)")
    parser.add_argument("--measuring-file", help="created when the measured seconds begin (for a profiler to start)")
    args = parser.parse_args()
    probes = max(0, min(args.probes, args.clients - 1))

    run = os.urandom(3).hex()
    names = [f"v{run}_{n}" for n in range(args.clients)]
    # The probes in one process, the other clients in processes of at most --per-process each.
    groups = ([(0, names[:probes], True)] if probes else []) + [
        (at, names[at:at + args.per_process], False) for at in range(probes, args.clients, args.per_process)]
    pipes, children = [], []
    for first, members, timed in groups:
        ours, theirs = multiprocessing.Pipe()
        child = multiprocessing.Process(target=group_process, args=(args, members, first, timed, theirs), daemon=True)
        child.start()
        pipes.append(ours)
        children.append(child)
    try:
        parts, cpu = coordinate(args, pipes)
    except EOFError:
        # A load process ended early (its traceback is above): no figures for this run.
        raise SystemExit("a load process failed; no result")
    for child in children:
        child.join(5)
    begin = parts[0]["begin"]

    sent = sum(p["sent"] for p in parts)
    expected = sum(p["expected"] for p in parts)
    delivered = sum(p["delivered"] for p in parts)
    closed = sum(p["closed"] for p in parts)
    latencies = [x for p in parts for x in p["latencies"]]
    elapsed = max(p["last"] for p in parts) - begin
    client_cpu = sum(p["client_cpu"] for p in parts)
    # Fewer lines than offered: a load process fell behind its schedule (a busy machine).
    offered = round(args.clients * args.rate * args.seconds)
    print(f"target={args.target} clients={args.clients} rate={args.rate:g}/s/client seconds={args.seconds:g} "
          f"connect={max(p['connect'] for p in parts):.1f}s lines={sent}/{offered} lines_per_s={sent / args.seconds:.0f} "
          f"deliveries={delivered}/{expected} ({100.0 * delivered / max(expected, 1):.2f}%) "
          f"deliveries_per_s={delivered / elapsed:.0f} drain_s={elapsed - args.seconds:.1f} disconnected={closed}")
    print(f"{summary(latencies)} (probes={probes} in a process of their own, {len(latencies)} lines timed)")
    if args.pid:
        # One machine-readable line for bench/run-e2e.sh.
        server_cpu = cpu["after"] - cpu["before"]
        ms = sorted(x * 1000 for x in latencies) or [float("nan")]
        p = lambda q: ms[min(len(ms) - 1, int(len(ms) * q))]  # noqa: E731
        print(f"result target={args.target} cpu_s={server_cpu:.2f} warmup_cpu_s={cpu['before'] - cpu['start']:.2f} "
              f"cpu_share={server_cpu / elapsed:.3f} cpu_us_per_delivery={1e6 * server_cpu / max(delivered, 1):.2f} "
              f"delivered_pct={100.0 * delivered / max(expected, 1):.2f} sent_pct={100.0 * sent / max(offered, 1):.1f} p50_ms={p(0.50):.2f} p99_ms={p(0.99):.2f} "
              f"disconnected={closed} client_cpu_s={client_cpu:.2f}")


if __name__ == "__main__":
    main()
