#!/usr/bin/env python3
"""Board post throughput, every post acknowledged only after its commit.

Two ways to post:
  keep-open (default)  N clients each hold one connection and post one message at a time,
                       waiting for "MSGPosting Message!%" (sent only after the row's transaction
                       has committed) before the next post. The line end keeps the connection a
                       session.
  --connect-per-post   N clients each open a connection, send one "POST ...%" (no line end: the
                       original's life cycle, answer then close), read the reply and the close,
                       then open the next. The latency includes the connect.

Latency is measured per post, from sending it (or from the connect) to its acknowledgement.
The clients run in --processes processes, each a plain epoll loop (much cheaper per post than
asyncio streams, so the load generator leaves more of a small machine to the server).

    python3 bench/board_posts.py --port 8080 --clients 32 --seconds 10
    python3 bench/board_posts.py --port 8080 --clients 32 --seconds 10 --connect-per-post

With --pid the server's CPU time over the measured seconds is printed as µs per post.
Prints one line starting "result" with the figures (for bench/run-e2e.sh).

All clients come from 127.0.0.1..127.0.0.4, so start the server with the per-address post rate lifted:
    dotnet run -c Release --project src/SocketHub.Server -- \
        --Board:PostsPerSecond=1000000 --Board:PostBurst=1000000
"""
import argparse
import errno
import multiprocessing
import os
import resource
import select
import socket
import time

import latency

ACK = b"MSGPosting Message!%"
SOURCES = 4  # source addresses 127.0.0.1..127.0.0.4: one address would run short of ports for connect-per-post


def cpu_seconds(pid):
    """utime + stime of a process, in seconds."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def keep_open(host, port, first, count, start_at, deadline, out):
    """count clients, each with one open connection, one post in flight at a time."""
    poller = select.epoll()
    clients = {}
    for n in range(first, first + count):
        s = socket.create_connection((host, port), source_address=(f"127.0.0.{n % SOURCES + 1}", 0))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.setblocking(False)
        clients[s.fileno()] = [s, n, 0, 0.0, b""]  # socket, number, posts sent, sent at, reply so far
        poller.register(s.fileno(), select.EPOLLIN)
    latencies, errors = [], 0
    while time.time() < start_at:
        time.sleep(0.001)

    def send(client):
        client[3] = time.perf_counter()
        client[0].send(b"POSTbench client %d post %d%%\n" % (client[1], client[2]))

    for client in clients.values():
        send(client)
    open_clients = len(clients)
    while open_clients:
        for fd, _ in poller.poll(1.0):
            client = clients[fd]
            data = client[0].recv(4096)
            if not data:
                raise SystemExit(f"client {client[1]}: the server closed the connection")
            reply = client[4] + data
            if not reply.endswith(b"%"):
                client[4] = reply
                continue
            now = time.perf_counter()
            client[4] = b""
            if reply == ACK:
                latencies.append(now - client[3])
                client[2] += 1
            else:
                errors += 1
            if time.time() < deadline:
                send(client)
            else:
                poller.unregister(fd)
                client[0].close()
                open_clients -= 1
    out.send((latencies, errors))


def connect_per_post(host, port, first, count, start_at, deadline, out):
    """count clients, each a new connection per post: connect, send, read the reply and the close."""
    poller = select.epoll()
    clients = {}
    latencies, errors = [], 0

    def start(n, sent):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        s.bind((f"127.0.0.{n % SOURCES + 1}", 0))
        started = time.perf_counter()
        code = s.connect_ex((host, port))
        if code not in (0, errno.EINPROGRESS):
            raise SystemExit(f"connect: {os.strerror(code)}")
        clients[s.fileno()] = [s, n, sent, started, b"", False]  # ..., reply so far, request sent
        poller.register(s.fileno(), select.EPOLLOUT)

    while time.time() < start_at:
        time.sleep(0.001)
    for n in range(first, first + count):
        start(n, 0)
    while clients:
        for fd, events in poller.poll(1.0):
            client = clients[fd]
            s = client[0]
            if not client[5]:
                code = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if code:
                    raise SystemExit(f"connect: {os.strerror(code)}")
                s.send(b"POSTbench client %d post %d%%" % (client[1], client[2]))
                client[5] = True
                poller.modify(fd, select.EPOLLIN)
                continue
            data = s.recv(4096)
            if data:
                client[4] += data
                continue
            # The close after the reply: the post is done (the server closes first, so the
            # client side keeps no TIME_WAIT port).
            now = time.perf_counter()
            poller.unregister(fd)
            s.close()
            del clients[fd]
            if client[4] == ACK:
                latencies.append(now - client[3])
            else:
                errors += 1
            if time.time() < deadline:
                start(client[1], client[2] + 1)
    out.send((latencies, errors))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--processes", type=int, default=2, help="client processes the clients are spread over")
    parser.add_argument("--connect-per-post", action="store_true", help="a new connection for every post")
    parser.add_argument("--pid", type=int, help="the server's process id: print its CPU µs per post")
    args = parser.parse_args()

    run = connect_per_post if args.connect_per_post else keep_open
    processes, pipes = [], []
    start_at = time.time() + 0.5 + 0.02 * args.clients  # every process connected before the clock starts
    deadline = start_at + args.seconds
    per_process = [args.clients // args.processes + (p < args.clients % args.processes) for p in range(args.processes)]
    first = 0
    for count in per_process:
        if count == 0:
            continue
        receive, send = multiprocessing.Pipe(duplex=False)
        process = multiprocessing.Process(target=run, args=(args.host, args.port, first, count, start_at, deadline, send))
        process.start()
        processes.append(process)
        pipes.append(receive)
        first += count
    while time.time() < start_at:
        time.sleep(0.001)
    cpu_before = cpu_seconds(args.pid) if args.pid else None
    latencies, errors = [], 0
    for receive in pipes:
        got, failed = receive.recv()
        latencies += got
        errors += failed
    elapsed = time.time() - start_at
    server_cpu = cpu_seconds(args.pid) - cpu_before if args.pid else None
    for process in processes:
        process.join()
        if process.exitcode:
            raise SystemExit(f"a client process failed ({process.exitcode})")
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    client_cpu = children.ru_utime + children.ru_stime  # the client processes' whole life, connects included

    mode = "connect-per-post" if args.connect_per_post else "keep-open"
    rate = len(latencies) / elapsed
    ms = sorted(latencies)
    p50 = ms[len(ms) // 2] * 1000 if ms else float("nan")
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))] * 1000 if ms else float("nan")
    print(f"{mode} clients={args.clients} processes={len(processes)} seconds={elapsed:.1f} acknowledged={len(latencies)} errors={errors}")
    print(f"posts/s={rate:.0f}  {latency.summary(latencies)}")
    cpu = ""
    if latencies:
        cpu = f" client_us_per_post={client_cpu / len(latencies) * 1e6:.0f}"
        print(f"client CPU {client_cpu:.2f} s, {client_cpu / len(latencies) * 1e6:.0f} µs per post")
    if server_cpu is not None and latencies:
        cpu += f" server_cpu_s={server_cpu:.2f} server_us_per_post={server_cpu / len(latencies) * 1e6:.0f}"
        print(f"server CPU {server_cpu:.2f} s = {server_cpu / elapsed * 100:.0f}% of a core, {server_cpu / len(latencies) * 1e6:.0f} µs per post")
    print(f"result mode={mode} posts_per_s={rate:.0f} p50_ms={p50:.2f} p99_ms={p99:.2f} errors={errors}{cpu}")


if __name__ == "__main__":
    main()
