#!/usr/bin/env python3
"""Crypto round trips: N connections, each sending one request at a time and waiting for its
reply line before the next.

    python3 bench/crypto_roundtrips.py --port 8000 --connections 16 --seconds 10
    python3 bench/crypto_roundtrips.py --port 8000 --connections 16 --seconds 10 --decrypt

Without --decrypt each round trip is "#en#<text>#\\n" -> "#en#<token>#\\n". With --decrypt every
encryption is followed by "#de#<token>#\\n", the reply is checked against the text, and both
round trips count. --size sets the text's length in bytes (default 64).
"""
import argparse
import asyncio
import time

import latency


async def connection(host, port, number, size, decrypt, deadline, latencies, errors):
    reader, writer = await asyncio.open_connection(host, port)
    text = (f"bench {number} " + "x" * size)[:size].encode()
    try:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            writer.write(b"#en#" + text + b"#\n")
            reply = await reader.readline()
            if not reply.startswith(b"#en#"):
                errors.append(reply)
                break
            latencies.append(time.perf_counter() - started)
            if decrypt:
                started = time.perf_counter()
                writer.write(b"#de#" + reply[4:-2] + b"#\n")
                plain = await reader.readline()
                if plain != b"#de#" + text + b"#\n":
                    errors.append(plain)
                    break
                latencies.append(time.perf_counter() - started)
    finally:
        writer.close()


async def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--decrypt", action="store_true", help="follow each #en# with a #de# of its token")
    args = parser.parse_args()

    latencies, errors = [], []
    started = time.monotonic()
    deadline = started + args.seconds
    await asyncio.gather(*(connection(args.host, args.port, n, args.size, args.decrypt, deadline, latencies, errors)
                           for n in range(args.connections)))
    elapsed = time.monotonic() - started

    kind = "en+de" if args.decrypt else "en"
    print(f"connections={args.connections} {kind} size={args.size} seconds={elapsed:.1f} round_trips={len(latencies)} errors={len(errors)}")
    print(f"round trips/s={len(latencies) / elapsed:.0f}  {latency.summary(latencies, (0.50, 0.99))}")
    if errors:
        print("first unexpected reply:", errors[0][:80])


if __name__ == "__main__":
    asyncio.run(main())
