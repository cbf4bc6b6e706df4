#!/usr/bin/env python3
"""Chat broadcast fan-out: N users log in (open registration), then every user broadcasts at a
steady rate while all of them count the broadcasts they receive. Prints deliveries per second
(one broadcast reaching one user is one delivery) and how many were expected.

    python3 bench/chat_broadcast.py --port 12000 --clients 100 --seconds 10 --rate 4
    python3 bench/chat_broadcast.py --port 12001 --json --clients 100 --seconds 10 --rate 4

--rate is broadcasts per second per user: keep it under Chat:LinesPerSecond (default 5), or
start the server with the flood limit raised. Logins hash a password each, so for a quick start
use a low iteration count. The JSON port spaces the objects it sends one client by
Chat:JsonObjectGapMilliseconds (20 ms: at most 50 a second, for the COMP3331 client that reads
one per recv); a fan-out benchmark sets it to 0:
    dotnet src/SocketHub.Server/bin/Release/net10.0/SocketHub.Server.dll \\
        --Storage:DataDirectory=/tmp/chatbench --Chat:PasswordIterations=1000 \\
        --Chat:LinesPerSecond=1000 --Chat:LineBurst=1000 --Chat:JsonObjectGapMilliseconds=0

The JSON requests are the COMP3331 messenger client's bytes (json.dumps, no line end).
"""
import argparse
import asyncio
import json
import os
import time

from chatbench import User, count_marked, paced_send, text_login, wait_for_deliveries

TEXT_MARK = b" (broadcast): "
# The end of a broadcast of this script (its text ends in x); presence broadcasts and replies end otherwise.
JSON_MARK = b'x"}}'


async def login(host, port, use_json, name):
    reader, writer = await asyncio.open_connection(host, port, limit=1 << 20)
    if use_json:
        writer.write(json.dumps({"command": "login", "data": [name, "pw"]}).encode())
        reply = json.loads(await reader.readline())
        if reply.get("status") != "success":
            raise RuntimeError(f"{name}: {reply}")
    else:
        await text_login(reader, writer, name)
    return reader, writer


def broadcast_line(use_json, size):
    payload = "x" * size
    if use_json:
        return lambda n: json.dumps({"command": "broadcast", "data": [f"{n} {payload}"]}).encode()
    return lambda n: f"broadcast {n} {payload}\n".encode()


async def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=12000)
    parser.add_argument("--json", action="store_true", help="use the JSON port (12001, the COMP3331 messenger's protocol)")
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rate", type=float, default=4, help="broadcasts per second per user")
    parser.add_argument("--size", type=int, default=64, help="characters of text per broadcast")
    args = parser.parse_args()

    run = os.urandom(3).hex()
    users = [User(f"b{run}_{n}") for n in range(args.clients)]
    started = time.monotonic()
    connections = []
    for user in users:  # one at a time: each login hashes a password
        connections.append(await login(args.host, args.port, args.json, user.name))
    login_seconds = time.monotonic() - started

    mark = JSON_MARK if args.json else TEXT_MARK
    receivers = [asyncio.create_task(count_marked(r, u, mark)) for (r, _), u in zip(connections, users)]

    begin = time.monotonic()
    deadline = begin + args.seconds
    line_for = broadcast_line(args.json, args.size)
    await asyncio.gather(*(paced_send(w, u, line_for, args.rate, deadline) for (_, w), u in zip(connections, users)))
    expected = sum(u.sent for u in users) * (args.clients - 1)
    delivered, elapsed = await wait_for_deliveries(users, expected, begin, deadline)

    for _, writer in connections:
        writer.close()
    for task in receivers:
        task.cancel()

    sent = sum(u.sent for u in users)
    closed = sum(u.closed for u in users)
    print(f"dialect={'json' if args.json else 'text'} clients={args.clients} rate={args.rate}/s/user size={args.size} "
          f"logins={login_seconds:.1f}s")
    print(f"broadcasts={sent} deliveries={delivered}/{expected} ({100.0 * delivered / max(expected, 1):.2f}%) "
          f"seconds={elapsed:.1f} deliveries/s={delivered / elapsed:.0f} broadcasts/s={sent / args.seconds:.0f}"
          + (f" DISCONNECTED={closed} (too slow to read)" if closed else ""))


if __name__ == "__main__":
    asyncio.run(main())
