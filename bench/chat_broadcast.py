#!/usr/bin/env python3
"""Chat broadcast fan-out: N users log in (open registration), then every user broadcasts at a
steady rate while all of them count the broadcasts they receive. Prints deliveries per second
(one broadcast reaching one user is one delivery) and how many were expected.

    python3 bench/chat_broadcast.py --port 12000 --clients 100 --seconds 10 --rate 4
    python3 bench/chat_broadcast.py --port 12001 --json --clients 100 --seconds 10 --rate 4

--rate is broadcasts per second per user: keep it under Chat:LinesPerSecond (default 5), or
start the server with the flood limit raised. Logins hash a password each, so for a quick start
use a low iteration count:
    dotnet src/SocketHub.Server/bin/Release/net10.0/SocketHub.Server.dll \\
        --Storage:DataDirectory=/tmp/chatbench --Chat:PasswordIterations=1000 \\
        --Chat:LinesPerSecond=1000 --Chat:LineBurst=1000
"""
import argparse
import asyncio
import json
import os
import time

TEXT_MARK = b" (broadcast): "
JSON_MARK = b'"status":"broadcast"'


class User:
    def __init__(self, name):
        self.name = name
        self.received = 0
        self.last = 0.0
        self.sent = 0
        self.closed = False


async def login(host, port, use_json, name):
    reader, writer = await asyncio.open_connection(host, port, limit=1 << 20)
    if use_json:
        writer.write((json.dumps({"command": "login", "data": [name, "pw"]}) + "\n").encode())
        reply = json.loads(await reader.readline())
        if reply.get("status") != "success":
            raise RuntimeError(f"{name}: {reply}")
    else:
        await reader.readuntil(b"Username: ")
        writer.write(name.encode() + b"\n")
        await reader.readuntil(b"Password: ")
        writer.write(b"pw\n")
        line = await reader.readline()
        if not line.startswith(b"Welcome"):
            raise RuntimeError(f"{name}: {line!r}")
    return reader, writer


async def receive(reader, user, mark, stop):
    tail = b""
    while not stop.is_set():
        try:
            chunk = await reader.read(1 << 16)
        except ConnectionError:
            chunk = b""
        if not chunk:
            # The server disconnects a user whose queue overflowed (this client read too slowly).
            user.closed = True
            return
        data = tail + chunk
        found = data.count(mark)
        if found:
            user.received += found
            user.last = time.monotonic()
        tail = data[-(len(mark) - 1):]


async def send(writer, user, use_json, rate, size, deadline):
    payload = "x" * size
    interval = 1.0 / rate
    next_at = time.monotonic()
    while True:
        now = time.monotonic()
        if now >= deadline or user.closed:
            return
        if now < next_at:
            await asyncio.sleep(next_at - now)
            continue
        text = f"{user.sent} {payload}"
        if use_json:
            line = json.dumps({"command": "broadcast", "data": [text]}) + "\n"
        else:
            line = f"broadcast {text}\n"
        writer.write(line.encode())
        user.sent += 1
        next_at += interval


async def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=12000)
    parser.add_argument("--json", action="store_true", help="use the JSON dialect (port 12001)")
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
    stop = asyncio.Event()
    receivers = [asyncio.create_task(receive(r, u, mark, stop)) for (r, _), u in zip(connections, users)]

    begin = time.monotonic()
    deadline = begin + args.seconds
    await asyncio.gather(*(send(w, u, args.json, args.rate, args.size, deadline) for (_, w), u in zip(connections, users)))
    expected = sum(u.sent for u in users) * (args.clients - 1)

    drain_until = time.monotonic() + 10
    while sum(u.received for u in users) < expected and time.monotonic() < drain_until:
        await asyncio.sleep(0.05)
    delivered = sum(u.received for u in users)
    last = max((u.last for u in users), default=deadline)
    elapsed = max(last, deadline) - begin

    stop.set()
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
