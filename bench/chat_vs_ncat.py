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

SocketHub's flood limit (Chat:LinesPerSecond, default 5) must be above --rate, and logins are
quicker with a low Chat:PasswordIterations (see docs/benchmarks.md).
"""
import argparse
import asyncio
import os
import time

from chatbench import User, count_marked, paced_send, text_login, wait_for_deliveries

MARK = b"~q7~"


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
    args = parser.parse_args()

    run = os.urandom(3).hex()
    clients = [User(f"v{run}_{n}") for n in range(args.clients)]
    started = time.monotonic()
    connections = []
    for client in clients:  # one at a time: a SocketHub login hashes a password
        connections.append(await connect(args, client))
    connect_seconds = time.monotonic() - started
    await asyncio.sleep(0.5)  # let ncat's "<announce> ... is connected" lines go by

    receivers = [asyncio.create_task(count_marked(r, c, MARK)) for (r, _), c in zip(connections, clients)]
    begin = time.monotonic()
    deadline = begin + args.seconds
    payload = "x" * args.size
    prefix = "broadcast " if args.target == "sockethub" else ""
    line_for = lambda n: f"{prefix}{MARK.decode()} {n} {payload}\n".encode()  # noqa: E731
    await asyncio.gather(*(paced_send(w, c, line_for, args.rate, deadline) for (_, w), c in zip(connections, clients)))
    sent = sum(c.sent for c in clients)
    expected = sent * (args.clients - 1)
    delivered, elapsed = await wait_for_deliveries(clients, expected, begin, deadline)

    for _, writer in connections:
        writer.close()
    for task in receivers:
        task.cancel()
    closed = sum(c.closed for c in clients)
    print(f"target={args.target} clients={args.clients} rate={args.rate:g}/s/client seconds={args.seconds:g} "
          f"connect={connect_seconds:.1f}s lines={sent} lines_per_s={sent / args.seconds:.0f} "
          f"deliveries={delivered}/{expected} ({100.0 * delivered / max(expected, 1):.2f}%) "
          f"deliveries_per_s={delivered / elapsed:.0f} drain_s={elapsed - args.seconds:.1f} disconnected={closed}")


if __name__ == "__main__":
    asyncio.run(main())
