"""The hostile-student measurements: each attack run against a real server process, loopback only.

    python3 bench/attacks.py backlog  [--dll PATH] [--stored 300000]
    python3 bench/attacks.py hash     [--dll PATH] [--hostile 200] [--logins 10] [--mode guess|register] [--addresses N] [--setting K=V]
    python3 bench/attacks.py cap      [--dll PATH] [--ulimit 1024] [--connections 1100]
    python3 bench/attacks.py lockout  [--dll PATH] [--guesses 30]

backlog: stores --stored messages of 1 KB for one user straight into the database (a long flood),
  then logs that user in, reads everything, logs in again; prints the server's peak memory
  (VmHWM), the delivery time and what the second login still received.
hash: --hostile connections from 127.0.0.2 upwards (one address each, or --addresses of them)
  keep asking for hashes at the real cost, while a normal user on 127.0.0.1 logs in --logins
  times; --mode guess tries wrong passwords on 20 victim accounts, --mode register makes a new
  account each time. Prints what the hostile connections were told and the normal user's login
  latencies (and the load average: the machine may be shared).
cap: starts the server under `ulimit -n`, opens --connections crypto connections, counts
  served / told 'full' / silent, checks /health and that the process lives.
lockout: --guesses connections at the password prompt of one account send wrong guesses at
  once; prints how many were checked (answered 'Invalid Password') and how many met the block.

The server is `dotnet <dll>` with every port 0 (ports read from its log) and a fresh data folder.
Numbers on a shared 2-core machine are noisy; compare within one run.
"""
import argparse
import asyncio
import os
import re
import socket
import sqlite3
import subprocess
import sys
import random
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DLL = os.path.join(HERE, "..", "src", "SocketHub.Server", "bin", "Release", "net10.0", "SocketHub.Server.dll")


class Server:
    def __init__(self, dll, settings=(), ulimit=None):
        self.data = tempfile.mkdtemp(prefix="sockethub-attack-")
        # A random offset can land on a port in use (the last run's connections linger in
        # TIME_WAIT among the ephemeral ports): the server then exits 3, and another offset is tried.
        for attempt in range(5):
            if self.start(dll, settings, ulimit):
                break
        else:
            raise RuntimeError("server did not start:\n" + self.text())

    def start(self, dll, settings, ulimit):
        args = ["dotnet", dll, "--Listen:Address=127.0.0.1", f"--Storage:DataDirectory={self.data}"]
        # Every listener moves together, away from the default ports; the log says where each is.
        args += [f"--Listen:PortOffset={random.randrange(10000, 30000)}"] + [f"--{s}" for s in settings]
        if ulimit:
            args = ["/bin/sh", "-c", f'ulimit -n {ulimit} && exec "$@"', "sh"] + args
        self.log = open(os.path.join(self.data, "console.txt"), "w+")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        self.ports = {}
        deadline = time.time() + 90
        while "started" not in self.text():
            if self.proc.poll() == 3:
                return False
            if self.proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("server did not start:\n" + self.text())
            time.sleep(0.2)
        for name, port in re.findall(r"(\S+) listening on \S+:(\d+)", self.text()):
            self.ports[name] = int(port)
        return True

    def text(self):
        self.log.flush()
        with open(self.log.name) as f:
            return f.read()

    def peak_rss_mb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return 0

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


async def text_login(port, name, password, source="127.0.0.1"):
    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0), limit=1 << 20)
    await reader.readuntil(b"Username: ")
    writer.write(name.encode() + b"\n")
    await reader.readuntil(b"Password: ")
    writer.write(password.encode() + b"\n")
    return reader, writer, await reader.readline()


async def backlog(args):
    server = Server(args.dll, ["Chat:PasswordIterations=1000"])
    try:
        port = server.ports["chat"]
        for user in ("alice", "bob"):
            r, w, line = await text_login(port, user, "pw")
            w.write(b"logout\n")
            await r.read()
            w.close()
        db = sqlite3.connect(os.path.join(server.data, "sockethub.db"))
        text = "x" * 1000
        db.executemany("INSERT INTO ChatOfflineMessages (Recipient, Sender, Text, SentAt) VALUES ('bob', 'alice', ?, '2026-01-01')",
                       ((f"{i} {text}",) for i in range(args.stored)))
        db.commit()
        db.close()
        print(f"stored {args.stored} messages of 1 KB for bob; server peak RSS before login {server.peak_rss_mb():.0f} MB")
        begin = time.monotonic()
        r, w, welcome = await text_login(port, "bob", "pw")
        received = 0
        while received < args.stored:
            line = await asyncio.wait_for(r.readline(), 60)
            if not line:
                break
            received += line.startswith(b"alice: ")
        took = time.monotonic() - begin
        w.write(b"logout\n")
        await r.read()
        w.close()
        print(f"first login: {welcome.strip().decode()!r}, {received} delivered in {took:.1f} s; server peak RSS {server.peak_rss_mb():.0f} MB")
        r, w, welcome = await text_login(port, "bob", "pw")
        w.write(b"whoelse\n")
        again = 0
        while (line := await asyncio.wait_for(r.readline(), 30)) != b"End of list.\n":
            again += line.startswith(b"alice: ")
        w.close()
        left = sqlite3.connect(os.path.join(server.data, "sockethub.db")).execute("SELECT COUNT(*) FROM ChatOfflineMessages").fetchone()[0]
        print(f"second login delivered {again} again; {left} left stored")
        errors = [l for l in server.text().splitlines() if " ERR]" in l]
        print(f"error lines in the log: {len(errors)}; longest log line {max(map(len, server.text().splitlines()))} chars")
    finally:
        server.stop()


NORMAL_TIMEOUT = 120


def normal_logins(port, logins, phases):
    """Logs "normal" in and out `logins` times, a second apart; returns each login's seconds
    (inf: no answer within NORMAL_TIMEOUT) and adds to `phases` how long the password's answer
    took (the rest is connecting and the prompts)."""
    latencies = []
    for _ in range(logins):
        try:
            latencies.append(normal_login(port, phases))
        except socket.timeout:
            latencies.append(float("inf"))
            phases.append(float("inf"))
        time.sleep(1)
    return latencies


def normal_login(port, phases):
    begin = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=NORMAL_TIMEOUT) as s:
        received = b""
        for prompt, answer in ((b"Username: ", b"normal\n"), (b"Password: ", b"right-password\n")):
            while not received.endswith(prompt):
                received += s.recv(4096) or b"(closed)"
            s.sendall(answer)
        password_sent = time.monotonic()
        received = b""
        while b"\n" not in received:
            received += s.recv(4096) or b"(closed)\n"
        took = time.monotonic() - begin
        phases.append(time.monotonic() - password_sent)
        if not received.startswith(b"Welcome"):
            print("normal login answered", received)
        s.sendall(b"logout\n")
        return took


async def hash_attack(args):
    server = Server(args.dll, args.setting)  # the real hash cost
    try:
        port = server.ports["chat"]
        r, w, line = await text_login(port, "normal", "right-password")
        w.close()
        for i in range(20):
            # From an address of their own: the normal user's 127.0.0.1 keeps its whole allowance.
            r, w, line = await text_login(port, f"victim{i}", "their-password", source="127.0.0.254")
            w.close()
        stop = asyncio.Event()
        sent = [0]  # passwords sent by the hostile connections
        answers = {}  # what they were told, by first words
        addresses = max(1, min(args.addresses or args.hostile, 250))

        def count(answer):
            key = " ".join(answer.decode(errors="replace").split()[:4]) or "(closed)"
            answers[key] = answers.get(key, 0) + 1

        async def hostile(n):
            # 127.0.0.2 upwards: never the normal user's 127.0.0.1, so per-address limits see them apart.
            source = f"127.0.0.{2 + n % addresses}"
            attempt = 0
            while not stop.is_set():
                try:
                    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
                    await reader.readuntil(b"Username: ")
                    # guess: wrong passwords for the 20 victims; register: a new account each time.
                    name = f"victim{n % 20}" if args.mode == "guess" else f"h{n}x{attempt}"
                    writer.write(f"{name}\n".encode())
                    while not stop.is_set():
                        prompt = await reader.readuntil(b": ")
                        if not prompt.endswith(b"Password: "):
                            count(prompt)
                            break
                        attempt += 1
                        sent[0] += 1
                        writer.write(f"guess{n}-{attempt}\n".encode())
                        answer = await reader.readline()
                        count(answer)
                        if args.mode == "register":
                            break
                    writer.close()
                except (ConnectionError, asyncio.IncompleteReadError, OSError) as e:
                    count(getattr(e, "partial", b"") or b"")
                    await asyncio.sleep(0.05)

        tasks = [asyncio.create_task(hostile(n)) for n in range(args.hostile)]
        await asyncio.sleep(5)
        # The normal user in a thread of its own with plain sockets: the event loop is busy with
        # the hostile connections, and its delays are not the server's.
        phases = []
        latencies = await asyncio.to_thread(normal_logins, port, args.logins, phases)
        stop.set()
        for t in tasks:
            t.cancel()
        in_order = " ".join(f"{l:.2f}" for l in latencies)
        latencies.sort()
        print(f"mode {args.mode}: {args.hostile} hostile connections from {addresses} addresses (127.0.0.2-{1 + addresses}), "
              f"{sent[0]} passwords sent; load average {' '.join(f'{l:.2f}' for l in os.getloadavg())}")
        for answer, n in sorted(answers.items(), key=lambda a: -a[1]):
            print(f"  {n:6} x {answer}")
        print(f"normal login latency s, in order: {in_order}")
        print("  of which the password's answer: " + " ".join(f"{l:.2f}" for l in phases))
        print("normal login latency s: " + " ".join(f"{l:.2f}" for l in latencies)
              + f"  (median {latencies[len(latencies) // 2]:.2f}, max {latencies[-1]:.2f})")
    finally:
        server.stop()


async def cap(args):
    server = Server(args.dll, ["Limits:ConnectionsPerAddress=100000"], ulimit=args.ulimit)
    try:
        m = re.search(r"At most (\d+) connections", server.text())
        print(f"ulimit -n {args.ulimit}; the server's cap: {m.group(1) if m else '(none logged)'}")
        socks = []
        for _ in range(args.connections):
            try:
                socks.append(socket.create_connection(("127.0.0.1", server.ports["crypto"]), timeout=5))
            except OSError as e:
                print("connect failed:", e)
                break
        time.sleep(2)
        full = silent = other = 0
        for s in socks:
            s.settimeout(0.05)
            try:
                data = s.recv(100)
                full += data.startswith(b"#er#The server is full")
                other += not data.startswith(b"#er#The server is full")
            except socket.timeout:
                silent += 1
            except OSError:
                other += 1
        print(f"{len(socks)} connections: {silent} served (idle, open), {full} told '#er#The server is full; try again later#', {other} other")
        for s in socks:
            s.close()
        time.sleep(1)
        alive = server.proc.poll() is None
        health = urllib.request.urlopen(f"http://127.0.0.1:{server.ports['ops']}/health", timeout=10).status if alive else None
        warnings = len([l for l in server.text().splitlines() if "connection limit" in l])
        print(f"process alive: {alive}, /health: {health}, log lines about the limit: {warnings}")
    finally:
        server.stop()


async def lockout(args):
    server = Server(args.dll, ["Chat:PasswordIterations=600000"])
    try:
        port = server.ports["chat"]
        r, w, line = await text_login(port, "alice", "right")
        w.close()
        conns = []
        for n in range(args.guesses):
            reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(f"127.0.0.{2 + n % 5}", 0))
            await reader.readuntil(b"Username: ")
            writer.write(b"alice\n")
            await reader.readuntil(b"Password: ")
            conns.append((reader, writer))
        for n, (_, writer) in enumerate(conns):
            writer.write(b"right\n" if n == len(conns) - 1 else f"wrong{n}\n".encode())
        answers = [(await reader.readline()).decode().strip() for reader, _ in conns]
        for answer in sorted(set(answers)):
            print(f"{answers.count(answer):3} x {answer}")
        print(f"the right password (sent last) got: {answers[-1]!r}")
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("attack", choices=["backlog", "hash", "cap", "lockout"])
    parser.add_argument("--dll", default=DEFAULT_DLL)
    parser.add_argument("--stored", type=int, default=300_000)
    parser.add_argument("--hostile", type=int, default=200)
    parser.add_argument("--logins", type=int, default=10)
    parser.add_argument("--ulimit", type=int, default=1024)
    parser.add_argument("--connections", type=int, default=1100)
    parser.add_argument("--guesses", type=int, default=30)
    parser.add_argument("--mode", choices=["guess", "register"], default="guess")
    parser.add_argument("--addresses", type=int, default=0, help="hash: hostile source addresses (default one per connection, at most 250)")
    parser.add_argument("--setting", action="append", default=[], help="hash: a server setting, e.g. Chat:LoginAttemptsPerMinute=0")
    args = parser.parse_args()
    asyncio.run({"backlog": backlog, "hash": hash_attack, "cap": cap, "lockout": lockout}[args.attack](args))


if __name__ == "__main__":
    sys.exit(main())
