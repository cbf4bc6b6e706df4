#!/usr/bin/env python3
"""Board post throughput: N clients post one message at a time over their own connection and
wait for "MSGPosting Message!%" (sent only after the row is committed) before the next post.

    python3 bench/board_posts.py --port 8080 --clients 32 --seconds 10

All clients come from one address, so start the server with the per-address post rate lifted:
    dotnet run -c Release --project src/SocketHub.Server -- \
        --Board:PostsPerSecond=1000000 --Board:PostBurst=1000000
"""
import argparse
import asyncio
import time

import latency

ACK = b"MSGPosting Message!%"


async def client(host, port, number, deadline, latencies, errors):
    reader, writer = await asyncio.open_connection(host, port)
    sent = 0
    try:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            # The line end keeps the connection a session (without one the board answers and closes).
            writer.write(f"POSTbench client {number} post {sent}%\n".encode())
            await writer.drain()
            reply = await reader.readuntil(b"%")
            if reply != ACK:
                errors.append(reply)
                continue
            latencies.append(time.perf_counter() - started)
            sent += 1
    finally:
        writer.close()


async def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()

    latencies, errors = [], []
    started = time.monotonic()
    deadline = started + args.seconds
    await asyncio.gather(*(client(args.host, args.port, n, deadline, latencies, errors) for n in range(args.clients)))
    elapsed = time.monotonic() - started

    print(f"clients={args.clients} seconds={elapsed:.1f} acknowledged={len(latencies)} errors={len(errors)}")
    print(f"posts/s={len(latencies) / elapsed:.0f}  {latency.summary(latencies)}")
    if errors:
        print("first unexpected reply:", errors[0][:80])


if __name__ == "__main__":
    asyncio.run(main())
