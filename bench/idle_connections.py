#!/usr/bin/env python3
"""Opens --count idle TCP connections to a port and holds them for --hold seconds, then prints
how many are open. Source addresses are spread over 127.0.0.1 .. 127.0.0.<--sources> so no one
address runs out of ephemeral ports. Raise `ulimit -n` first (one descriptor per connection).

    ulimit -n 65536; python3 bench/idle_connections.py --port 18080 --count 10000 --hold 20
"""
import argparse
import socket
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--sources", type=int, default=4, help="spread over 127.0.0.1..127.0.0.N")
    parser.add_argument("--hold", type=float, default=20, help="seconds to hold them open")
    parser.add_argument("--ready-file", help="touch this file once every connection is open")
    args = parser.parse_args()

    sockets = []
    started = time.monotonic()
    for n in range(args.count):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind((f"127.0.0.{n % args.sources + 1}", 0))
        s.connect((args.host, args.port))
        sockets.append(s)
    print(f"opened={len(sockets)} in {time.monotonic() - started:.1f}s", flush=True)
    if args.ready_file:
        open(args.ready_file, "w").close()
    time.sleep(args.hold)
    # A connection the server closed (limit reached) reads as end-of-stream.
    alive = 0
    for s in sockets:
        s.setblocking(False)
        try:
            alive += s.recv(1) != b""
        except BlockingIOError:
            alive += 1
        except OSError:
            pass
    print(f"still_open={alive}", flush=True)
    for s in sockets:
        s.close()


if __name__ == "__main__":
    main()
