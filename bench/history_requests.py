#!/usr/bin/env python3
"""History request throughput: N clients, each making one request per connection the way the
seed's client does (connect, send one line, read until the server closes), as fast as they can.
Every request is logged to the history and committed before its reply.

    python3 bench/history_requests.py --port 5007 --clients 32 --seconds 10 --user alice

The mix is "<user>" (log only) with every tenth request "<user> 1 1" (log, then delete line 1),
so the history stays a steady size. All clients come from one address, so start the server with
the rate lifted and the user configured:
    dotnet run -c Release --project src/SocketHub.Server -- --History:Users:0=alice \
        --History:RequestsPerSecond=1000000 --History:RequestBurst=1000000
"""
import argparse
import asyncio
import time

import latency


async def client(host, port, user, number, deadline, latencies, errors):
    sent = 0
    while time.monotonic() < deadline:
        request = f"{user} 1 1\n" if sent % 10 == 9 else f"{user}\n"
        started = time.perf_counter()
        reader, writer = await asyncio.open_connection(host, port)
        writer.write(request.encode())
        await writer.drain()
        reply = await reader.read()
        writer.close()
        if not reply.startswith(b"To download this server code"):
            errors.append(reply)
            continue
        latencies.append(time.perf_counter() - started)
        sent += 1


async def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5007)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--user", default="alice")
    args = parser.parse_args()

    latencies, errors = [], []
    started = time.monotonic()
    deadline = started + args.seconds
    await asyncio.gather(*(client(args.host, args.port, args.user, n, deadline, latencies, errors) for n in range(args.clients)))
    elapsed = time.monotonic() - started

    print(f"clients={args.clients} seconds={elapsed:.1f} answered={len(latencies)} errors={len(errors)}")
    print(f"requests/s={len(latencies) / elapsed:.0f}  {latency.summary(latencies)}")
    if errors:
        print("first unexpected reply:", errors[0][:80])


if __name__ == "__main__":
    asyncio.run(main())
