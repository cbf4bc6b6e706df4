#!/usr/bin/env python3
"""SocketHub as a 3-node cluster behind HAProxy on this machine, one scenario, one command:

    python3 bench/cluster_scenario.py                  # or: bench/run-e2e.sh cluster [duration]
    python3 bench/cluster_scenario.py --duration 45 --clients 150 --json /tmp/cluster.json

What it starts (all children of this process, all stopped at the end, on Ctrl-C too):
  - the server published once (`dotnet publish -c Release`, or --dll to use a build as it is);
  - a fresh PostgreSQL database on 127.0.0.1:5432 (login sockethub_test; SOCKETHUB_BENCH_POSTGRES
    names another server as "Host=...;Port=...;Username=...;Password=..."), dropped at the end;
  - redis-server on a free port, nothing kept on disk;
  - three nodes (Storage:Provider=Postgres, Chat:Backplane=redis, Cluster:HeartbeatSeconds=1,
    NodeTtl and SessionTtl 3 s, Listen:TrustedProxies=127.0.0.1, flood and login limits lifted),
    each on its own Listen:PortOffset in 10000-19999;
  - HAProxy in TCP mode, round robin with send-proxy-v2 to the nodes' text chat ports, health
    checks on /health/ready every 300 ms, and a log line per connection naming the node it chose.

The scenario (times scale with --duration, default 90 s of sending):
  - --clients (300) chat users connect through HAProxy, each from its own loopback address
    (127.1.x.y) and each its own account, and broadcast --rate lines a second (0.2), each line
    tagged with its sequence number, its send time (one monotonic clock: one process) and the
    sender's node;
  - at 1/3 of the run one node is killed with SIGKILL; its users notice the close and log in
    again through HAProxy (one in five waits for the whoelse measurement below first);
  - at 2/3 Redis is killed and started again on the same port 5 s later (no persistence: what a
    restarted Redis really is);
  - after the sending: the killed node is started again, then 1,000 accounts log in twice at
    once on two different nodes (exactly one welcome each is the goal), then one address opens
    3 x Limits:ConnectionsPerAddress connections through HAProxy (exactly the limit admitted is
    the goal).

How each client's node is known: from HAProxy itself. Its log line per connection (option
logasap: written when the node's connection is made) carries the client's address and port and
the server it chose; a client waits for that line before it sends, and writes its node into
every line it sends. The nodes' /audit `chat.online` is read once after the logins as a cross
check. Measured: cross-node delivery latency (receiver on another node than the sender),
lines lost, duplicated and out of order between the clients connected throughout, the killed
node's clients' reconnection time, whoelse convergence, the double logins and the per-address
limit. Exit code 1 on a harness failure (a node, Redis or HAProxy that does not start, logins
that fail); lost lines and unmet goals are findings, printed, not failures.
"""
import argparse
import array
import asyncio
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_POSTGRES = "Host=127.0.0.1;Port=5432;Username=sockethub_test;Password=sockethub-test"
# Every port a node binds at its defaults (appsettings.json), plain and TLS, before the offset:
# three offsets are chosen so that no two nodes share one.
NODE_BASE_PORTS = [8080, 18080, 5007, 15007, 8000, 18000, 12000, 22000, 12001, 22001, 8081, 18081, 8088, 8443]
CHAT_PORT, OPS_PORT = 12000, 8088
MARK = b" (broadcast): cb "
PASSWORD = b"pw"


class HarnessError(Exception):
    """Something the benchmark needs did not work: the run has no figures to report."""


def now_us():
    return time.monotonic_ns() // 1000


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100.0 * (len(ordered) - 1))))]


def ms(seconds):
    return None if seconds is None else round(seconds * 1000.0, 1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proxy_v1(source, dest_port, source_port=40000):
    """A PROXY protocol v1 header: the nodes trust 127.0.0.1 and need one on every direct connection."""
    return f"PROXY TCP4 {source} 127.0.0.1 {source_port} {dest_port}\r\n".encode()


def ops_get(port, path, timeout=2.0):
    """GET on a node's ops port from 127.0.0.1 (a trusted proxy, so with a PROXY header naming
    127.0.0.1: /audit answers this machine). HTTP/1.0, so the body is plain. (status, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(proxy_v1("127.0.0.1", port) + f"GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


# ----------------------------------------------------------------------------- the children

class Children:
    """Every process this run starts, stopped (killed if need be) by stop_all, whatever happens."""

    def __init__(self, folder):
        self.folder = folder
        self.procs = []

    def start(self, name, args, env=None, stdout=None):
        log = open(os.path.join(self.folder, f"{name}.log"), "ab")
        proc = subprocess.Popen(args, stdout=stdout or log, stderr=subprocess.STDOUT if stdout is None else log,
                                env=env, start_new_session=True)
        proc.log_path = log.name
        proc.log_file = log
        proc.role = name
        self.procs.append(proc)
        return proc

    def stop(self, proc, grace=5.0):
        if proc.poll() is None:
            try:
                proc.terminate()
                proc.wait(grace)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        proc.log_file.close()

    def stop_all(self):
        # HAProxy and the nodes before Redis, so no node logs Redis going away at the end.
        order = {"haproxy": 0, "redis": 2}
        for proc in sorted(reversed(self.procs), key=lambda p: order.get(p.role, 1)):
            try:
                self.stop(proc)
            except Exception:  # a child that is gone already; keep stopping the others
                pass


def log_tail(path, lines=30):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return ""


def publish_server(args, folder):
    if args.dll:
        return os.path.abspath(args.dll)
    out = os.path.join(folder, "publish")
    print(f"publishing the server (Release) to {out} ...", flush=True)
    result = subprocess.run(["dotnet", "publish", os.path.join(ROOT, "src", "SocketHub.Server"), "-c", "Release", "-o", out],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        raise HarnessError("dotnet publish failed:\n" + result.stdout[-3000:])
    return os.path.join(out, "SocketHub.Server.dll")


def postgres_settings():
    text = os.environ.get("SOCKETHUB_BENCH_POSTGRES", DEFAULT_POSTGRES)
    parts = dict(p.split("=", 1) for p in text.split(";") if "=" in p)
    return {k.lower(): v for k, v in parts.items()}, text


def psql(sql, pg):
    env = dict(os.environ, PGPASSWORD=pg.get("password", ""))
    return subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", pg.get("host", "127.0.0.1"),
                           "-p", pg.get("port", "5432"), "-U", pg.get("username", ""), "-d", "postgres", "-c", sql],
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def create_database(run_id, pool):
    pg, text = postgres_settings()
    name = f"sockethub_cluster_{run_id}"
    result = psql(f"CREATE DATABASE {name}", pg)
    if result.returncode != 0:
        raise HarnessError(f"cannot create the PostgreSQL database ({pg.get('host')}:{pg.get('port', '5432')}, "
                           f"user {pg.get('username')}); is the cluster up (pg_ctlcluster 15 main start)?\n{result.stdout}")
    # Npgsql's default pool (100 per node) would let three nodes ask for 300 of PostgreSQL's
    # default max_connections (100), shared with whatever else uses the cluster.
    return name, text.rstrip(";") + f";Database={name};Maximum Pool Size={pool}"


def drop_database(name):
    pg, _ = postgres_settings()
    psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", pg)


class Redis:
    """redis-server on a port of its own, nothing on disk; kill() and start() again on the same port."""

    def __init__(self, children, folder):
        self.children, self.folder = children, folder
        self.port = None
        self.proc = None

    def start(self, port=None):
        for _ in range(5):
            self.port = port or free_port()
            self.proc = self.children.start("redis", ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                                                      "--save", "", "--appendonly", "no", "--dir", self.folder])
            deadline = time.time() + 10
            while time.time() < deadline and self.proc.poll() is None:
                if "Ready to accept connections" in log_tail(self.proc.log_path, 5):
                    return
                time.sleep(0.05)
            if port is not None or self.proc.poll() is None:
                break
        raise HarnessError("redis-server did not start:\n" + log_tail(self.proc.log_path))

    def kill(self):
        self.proc.kill()
        self.proc.wait()


class Node:
    """One SocketHub node: its own data folder and port offset, the shared PostgreSQL and Redis."""

    def __init__(self, index, dll, children, folder, settings, env):
        self.index, self.name = index, f"node{index}"
        self.dll, self.children, self.settings, self.env = dll, children, settings, env
        self.data = os.path.join(folder, self.name)
        os.makedirs(self.data, exist_ok=True)
        self.offset = None
        self.proc = None

    @property
    def chat_port(self):
        return CHAT_PORT + self.offset

    @property
    def ops_port(self):
        return OPS_PORT + self.offset

    def start(self, offset, timeout=90):
        """True once /health/ready answers 200; False when a port was taken (exit code 3)."""
        self.offset = offset
        args = ["dotnet", self.dll, "--Listen:Address=127.0.0.1", f"--Listen:PortOffset={offset}",
                f"--Storage:DataDirectory={self.data}", f"--Cluster:NodeId={self.name}", f"--Cluster:Address={self.name}"]
        self.proc = self.children.start(self.name, args + [f"--{s}" for s in self.settings], env=self.env)
        deadline = time.time() + timeout
        while time.time() < deadline:
            code = self.proc.poll()
            if code == 3:
                return False
            if code is not None:
                raise HarnessError(f"{self.name} exited with {code}:\n" + log_tail(self.proc.log_path))
            try:
                if ops_get(self.ops_port, "/health/ready", timeout=1)[0] == 200:
                    return True
            except OSError:
                pass
            time.sleep(0.2)
        raise HarnessError(f"{self.name} not ready within {timeout} s:\n" + log_tail(self.proc.log_path))

    def kill(self):
        self.proc.kill()
        self.proc.wait()

    def audit(self):
        status, body = ops_get(self.ops_port, "/audit", timeout=5)
        return json.loads(body) if status == 200 else None


def choose_offsets(count, taken=()):
    """Offsets in 10000-19999 whose port sets (every listener of a node) are disjoint."""
    used = set(taken)
    chosen = []
    while len(chosen) < count:
        offset = random.randrange(10000, 20000)
        ports = {b + offset for b in NODE_BASE_PORTS}
        if not ports & used:
            chosen.append(offset)
            used |= ports
    return chosen


def start_nodes(nodes):
    """The first node alone (it migrates the fresh database), then the others together."""
    def start(node, first_offset):
        offset = first_offset
        for _ in range(5):
            if node.start(offset):
                return
            offset = choose_offsets(1, taken=[p for n in nodes if n.offset and n is not node for p in
                                              (b + n.offset for b in NODE_BASE_PORTS)])[0]
        raise HarnessError(f"{node.name}: no free ports after 5 offsets")

    offsets = choose_offsets(len(nodes))
    start(nodes[0], offsets[0])
    errors = []
    others = [threading.Thread(target=_catch, args=(errors, start, n, o)) for n, o in zip(nodes[1:], offsets[1:])]
    for t in others:
        t.start()
    for t in others:
        t.join()
    if errors:
        raise errors[0]


def _catch(errors, fn, *args):
    try:
        fn(*args)
    except Exception as e:  # handed to the main thread
        errors.append(e)


class HAProxy:
    """HAProxy in front of the nodes' chat ports. Its stdout is read on a thread: per connection
    "ROUTE <client ip>:<client port> <server>" (option logasap), and the health checks' verdicts."""

    def __init__(self, children, folder, nodes):
        self.children, self.folder, self.nodes = children, folder, nodes
        self.port = free_port()
        self.routes = {}       # "ip:port" -> [(monotonic seconds, server name)]
        self.events = []       # (monotonic seconds, line) for servers going DOWN or UP
        self.lock = threading.Lock()

    def config(self):
        servers = "\n".join(f"  server {n.name} 127.0.0.1:{n.chat_port} check port {n.ops_port}" for n in self.nodes)
        return f"""global
  log stdout format raw local0 info
  maxconn 9000

defaults
  mode tcp
  log global
  # One line per connection as soon as the node's side is made: which node a client got.
  option logasap
  log-format "ROUTE %ci:%cp %s"
  timeout connect 2s
  timeout client 1h
  timeout server 1h
  # A connection to a node that is dead but not yet marked down goes to another one.
  retries 2
  option redispatch

frontend chat
  bind 127.0.0.1:{self.port}
  maxconn 9000
  default_backend nodes

backend nodes
  balance roundrobin
  option httpchk
  http-check send meth GET uri /health/ready ver HTTP/1.1 hdr Host localhost
  http-check expect status 200
  # A dead node refuses the check's connection at once (marked down after two, 300 ms apart); a
  # live node on a busy machine may take longer than 300 ms to answer, hence the check's own timeout.
  timeout check 3s
  default-server send-proxy-v2 check-send-proxy inter 300ms fall 2 rise 2
{servers}
"""

    def start(self):
        path = os.path.join(self.folder, "haproxy.cfg")
        with open(path, "w") as f:
            f.write(self.config())
        self.proc = self.children.start("haproxy", ["haproxy", "-db", "-f", path], stdout=subprocess.PIPE)
        threading.Thread(target=self._read, daemon=True).start()
        deadline = time.time() + 10
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise HarnessError("haproxy exited:\n" + log_tail(self.proc.log_path))
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise HarnessError("haproxy does not listen")

    def _read(self):
        for raw in self.proc.stdout:
            line = raw.decode(errors="replace").strip()
            self.proc.log_file.write(raw)
            at = time.monotonic()
            if line.startswith("ROUTE "):
                _, client, server = line.split(" ", 2)
                with self.lock:
                    self.routes.setdefault(client, []).append((at, server))
            elif " is DOWN" in line or " is UP" in line:
                self.events.append((at, line))

    async def route_of(self, ip, port, since, timeout=5.0):
        """The node HAProxy sent the connection from ip:port to, made after `since`."""
        key = f"{ip}:{port}"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for at, server in reversed(self.routes.get(key, [])):
                    if at >= since:
                        return server
            await asyncio.sleep(0.01)
        return None

    def down_at(self, name, after):
        return next((at for at, line in self.events if at >= after and f"/{name} is DOWN" in line), None)

    def events_since(self, begin):
        """The health checks' verdicts, seconds from begin: "12.3 node3 is DOWN (Layer4 connection problem)"."""
        found = []
        for at, line in self.events:
            m = re.search(r"Server \S+/(\S+) is (UP|DOWN), reason: ([^,]+)", line)
            if m:
                found.append(f"{at - begin:.1f} s {m.group(1)} {m.group(2)} ({m.group(3)})")
        return found


# ----------------------------------------------------------------------------- chat clients

async def read_until(reader, marks, timeout):
    """Reads until one of marks is at the end of what came (or the close); returns all of it."""
    data = b""
    async with asyncio.timeout(timeout):
        while not any(data.endswith(m) for m in marks):
            chunk = await reader.read(4096)
            if not chunk:
                break
            data += chunk
    return data


async def login(reader, writer, name, timeout=30):
    """The text dialect's login; returns the first line after the password (the welcome or why not)."""
    prompt = await read_until(reader, [b"Username: "], timeout)
    if not prompt.endswith(b"Username: "):
        return prompt.decode(errors="replace").strip() or "closed before the prompt"
    writer.write(name.encode() + b"\n")
    await read_until(reader, [b"Password: "], timeout)
    writer.write(PASSWORD + b"\n")
    async with asyncio.timeout(timeout):
        line = await reader.readline()
    return line.decode(errors="replace").strip() or "closed"


class Client:
    """One scenario user: its connection (replaced after a disconnect), its node, what it sent and
    what it received from each sender (a count per sequence number: lost, duplicated, order)."""

    def __init__(self, index, run_id):
        self.index = index
        self.name = f"c{run_id}_{index}"
        self.source = f"127.1.{index // 250}.{index % 250 + 1}"
        self.node = None
        self.reader = self.writer = None
        self.sent_at = array.array("q")          # send time (µs) of each sequence number
        self.seen = {}                           # sender -> bytearray of receive counts per seq
        self.last_seq = {}                       # sender -> highest seq received
        self.out_of_order = 0
        self.throughout = True                   # never disconnected since the sending began
        self.disconnects = []                    # (disconnected at, welcomed again at or None, attempts)
        self.connected = asyncio.Event()
        self.welcomed_at = 0.0                   # monotonic time of the last welcome
        self.hold = None                         # an Event a held-back reconnection waits for

    async def connect(self, haproxy, timeout=30):
        """Through HAProxy from the client's own address until welcomed; returns the attempts made."""
        attempts = 0
        while True:
            attempts += 1
            since = time.monotonic()
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", haproxy.port, local_addr=(self.source, 0),
                                                               limit=1 << 20)
            except OSError:
                await asyncio.sleep(0.1)
                continue
            ip, port = writer.get_extra_info("sockname")[:2]
            try:
                answer = await login(reader, writer, self.name, timeout)
                node = await haproxy.route_of(ip, port, since)
            except (OSError, TimeoutError, asyncio.IncompleteReadError) as e:
                answer, node = f"error {e!r}", None
            if answer.startswith("Welcome") and node:
                self.reader, self.writer, self.node = reader, writer, node
                self.welcomed_at = time.monotonic()
                self.connected.set()
                return attempts
            writer.close()
            if attempts >= 600:
                raise HarnessError(f"{self.name}: no login after {attempts} attempts (last: {answer})")
            # "This account is already logged in." until the dead node's claim expires: ask again soon.
            await asyncio.sleep(0.1)


class Scenario:
    def __init__(self, args, run_id, haproxy, nodes):
        self.args, self.haproxy, self.nodes = args, haproxy, nodes
        self.clients = [Client(i, run_id) for i in range(args.clients)]
        self.lat_cross = array.array("d")
        self.lat_same = array.array("d")
        self.lat_cross_by_phase = {p: array.array("d") for p in PHASES}  # by when the line was sent
        self.phases = {}                          # name -> monotonic µs of its start
        self.sending = True
        self.killed = None
        self.holdback_release = asyncio.Event()

    # --- receiving and sending

    def on_lines(self, client, data):
        now = now_us()
        for line in data.split(b"\n"):
            at = line.find(MARK)
            if at < 0:
                continue
            sender = line[:at].decode()
            try:
                seq_s, sent_s, node_s = line[at + len(MARK):].split(b" ", 3)[:3]
                seq, sent = int(seq_s), int(sent_s)
            except ValueError:
                continue
            seen = self.seen_for(client, sender, seq)
            seen[seq] = min(255, seen[seq] + 1)
            if seq <= client.last_seq.get(sender, -1):
                if seen[seq] == 1:
                    client.out_of_order += 1
            else:
                client.last_seq[sender] = seq
            if seen[seq] == 1:
                latency = (now - sent) / 1e6
                if node_s.decode() != client.node:
                    self.lat_cross.append(latency)
                    self.lat_cross_by_phase[phase_of(self, sent)].append(latency)
                else:
                    self.lat_same.append(latency)

    @staticmethod
    def seen_for(client, sender, seq):
        seen = client.seen.get(sender)
        if seen is None:
            seen = client.seen[sender] = bytearray(64)
        if seq >= len(seen):
            seen.extend(bytes(seq + 64 - len(seen)))
        return seen

    async def receive(self, client):
        """Reads the client's connection until it closes, then has it log in again."""
        tail = b""
        while True:
            try:
                chunk = await client.reader.read(1 << 16)
            except (ConnectionError, OSError):
                chunk = b""
            if not chunk:
                await self.reconnect(client)
                tail = b""
                continue
            data = tail + chunk
            cut = data.rfind(b"\n")
            if cut < 0:
                tail = data
                continue
            tail = data[cut + 1:]
            self.on_lines(client, data[:cut])

    async def reconnect(self, client):
        lost = time.monotonic()
        client.connected.clear()
        client.throughout = False
        client.writer.close()
        if not self.sending:
            await asyncio.Event().wait()  # the run is over: nothing more to measure on this one
        if client.hold is not None:
            await client.hold.wait()
        attempts = await client.connect(self.haproxy)
        client.disconnects.append((lost, time.monotonic(), attempts))

    async def send(self, client, rate, deadline):
        interval = 1.0 / rate
        next_at = time.monotonic() + random.uniform(0, interval)  # spread the senders over the interval
        while True:
            now = time.monotonic()
            if now >= deadline:
                return
            if now < next_at:
                await asyncio.sleep(min(next_at - now, deadline - now))
                continue
            next_at += interval
            if not client.connected.is_set():
                continue  # lines not sent while disconnected are not expected by anyone
            seq = len(client.sent_at)
            sent = now_us()
            client.sent_at.append(sent)
            client.writer.write(b"broadcast cb %d %d %s\n" % (seq, sent, client.node.encode()))

    # --- the phases

    async def login_all(self):
        begin = time.monotonic()
        gate = asyncio.Semaphore(self.args.login_concurrency)

        async def one(client):
            async with gate:
                await client.connect(self.haproxy)
        await asyncio.gather(*(one(c) for c in self.clients))
        return time.monotonic() - begin

    def spread(self):
        counts = {}
        for c in self.clients:
            counts[c.node] = counts.get(c.node, 0) + 1
        return dict(sorted(counts.items()))

    def audit_cross_check(self):
        """How many clients each node's /audit lists as online matches HAProxy's routing."""
        agree = listed = 0
        by_name = {c.name: c.node for c in self.clients}
        for node in self.nodes:
            try:
                audit = node.audit() or {}
            except OSError:
                continue
            for user in audit.get("chat", {}).get("online", []):
                if user in by_name:
                    listed += 1
                    agree += by_name[user] == node.name
        return {"listed": listed, "agree_with_haproxy": agree}


class Observer:
    """A user connected straight to one node (PROXY header) that asks whoelse and reads the list;
    broadcasts and presence lines that arrive meanwhile have spaces and are skipped."""

    def __init__(self, run_id, node):
        self.name, self.node = f"obs{run_id}", node

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.node.chat_port, limit=1 << 20)
        self.writer.write(proxy_v1("127.9.0.1", self.node.chat_port))
        answer = await login(self.reader, self.writer, self.name)
        if not answer.startswith("Welcome"):
            raise HarnessError(f"observer on {self.node.name}: {answer}")

    async def whoelse(self):
        self.writer.write(b"whoelse\n")
        names = set()
        async with asyncio.timeout(10):
            while True:
                line = (await self.reader.readline()).decode(errors="replace").rstrip("\r\n")
                if line == "End of list.":
                    return names
                if not line:
                    raise HarnessError("observer: connection closed")
                if " " not in line:
                    names.add(line)


async def measure_convergence(scenario, observer, killed_users, kill_at, timeout):
    """Seconds from the kill until whoelse on a surviving node lists none of the killed node's
    users that have not logged in again (a user listed again because it reconnected is fine)."""
    polls = 0
    while time.monotonic() - kill_at < timeout:
        listed = await observer.whoelse()
        polls += 1
        # Back means welcomed again since the kill (a user that has not yet noticed the close is
        # still "connected" on this side, but gone).
        back = {c.name for c in killed_users if c.welcomed_at > kill_at}
        stale = (listed & {c.name for c in killed_users}) - back
        if not stale:
            return time.monotonic() - kill_at, polls, 0
        await asyncio.sleep(0.1)
    return None, polls, len(stale)


async def run_scenario(args, run_id, nodes, redis, haproxy, report):
    scenario = Scenario(args, run_id, haproxy, nodes)
    print(f"logging in {args.clients} users through HAProxy ...", flush=True)
    report["login_seconds"] = round(await scenario.login_all(), 1)
    report["spread_at_start"] = scenario.spread()
    report["audit_cross_check"] = scenario.audit_cross_check()

    victim, survivor = nodes[-1], nodes[0]
    observer = Observer(run_id, survivor)
    await observer.open()
    before = await observer.whoelse()
    elsewhere = {c.name for c in scenario.clients if c.node != survivor.name}
    whoelse_is_cluster_wide = bool(before & elsewhere)
    report["whoelse_before_kill"] = {"listed": len(before), "of_users_on_other_nodes": len(before & elsewhere),
                                     "other_nodes_users": len(elsewhere)}

    d = args.duration
    cpu_before = time.process_time()
    begin = time.monotonic()
    deadline = begin + d
    scenario.phases["start"] = now_us()
    receivers = [asyncio.create_task(scenario.receive(c)) for c in scenario.clients]
    senders = [asyncio.create_task(scenario.send(c, args.rate, deadline)) for c in scenario.clients]
    print(f"sending for {d:.0f} s: kill {victim.name} at {d / 3:.0f} s, Redis away at {2 * d / 3:.0f} s "
          f"for {args.redis_outage:.1f} s", flush=True)

    # The kill: one in five of the victim's users waits for the whoelse measurement before logging in again.
    await asyncio.sleep(begin + d / 3 - time.monotonic())
    killed_users = [c for c in scenario.clients if c.node == victim.name]
    for c in killed_users[::5]:
        c.hold = scenario.holdback_release
    listed_before = await observer.whoelse() & {c.name for c in killed_users[::5]}
    kill_at = time.monotonic()
    scenario.phases["kill"] = now_us()
    victim.kill()
    converged, polls, stale = await measure_convergence(scenario, observer, killed_users[::5], kill_at,
                                                        timeout=max(10.0, d / 6))
    scenario.holdback_release.set()
    observer.writer.close()  # it stops reading here: leave before its queue fills
    report["kill"] = {"node": victim.name, "users_on_it": len(killed_users), "held_back": len(killed_users[::5]),
                      "haproxy_marked_down_after_s": None}

    await asyncio.sleep(max(0, begin + 2 * d / 3 - time.monotonic()))
    scenario.phases["redis_down"] = now_us()
    redis.kill()
    await asyncio.sleep(args.redis_outage)
    await asyncio.to_thread(redis.start, redis.port)
    scenario.phases["redis_back"] = now_us()

    await asyncio.gather(*senders)
    scenario.phases["end"] = now_us()
    # This process reads every delivery: near 100 % of a core, its own queueing adds to the latencies.
    report["client_cpu_pct_while_sending"] = round(100.0 * (time.process_time() - cpu_before) / (time.monotonic() - begin))
    report["load_while_sending"] = os.getloadavg()[0]
    await asyncio.sleep(args.drain)
    scenario.sending = False
    down = haproxy.down_at(victim.name, kill_at)
    report["haproxy_checks"] = haproxy.events_since(begin)
    report["kill"]["haproxy_marked_down_after_s"] = None if down is None else round(down - kill_at, 2)
    report["whoelse_convergence"] = whoelse_report(whoelse_is_cluster_wide and bool(listed_before), converged, polls, stale)
    report["whoelse_convergence"]["held_back_listed_just_before_kill"] = len(listed_before)
    report["spread_at_end"] = scenario.spread()
    deliveries(scenario, report)
    reconnections(scenario, killed_users, kill_at, report)
    for task in receivers:
        task.cancel()
    for c in scenario.clients:
        if c.writer:
            c.writer.close()


def whoelse_report(cluster_wide, converged, polls, stale):
    if not cluster_wide:
        return {"measurable": False, "why": "whoelse on the observer's node listed none of the killed node's "
                "held-back users before the kill (presence per node?), so there is nothing to converge"}
    return {"measurable": True, "seconds": None if converged is None else round(converged, 2), "polls": polls,
            "still_listed_at_timeout": stale}


PHASES = ["before_kill", "after_kill", "redis_away", "after_redis"]


def phase_of(scenario, sent):
    p = scenario.phases
    if sent < p.get("kill", 1 << 62):
        return "before_kill"
    if sent < p.get("redis_down", 1 << 62):
        return "after_kill"
    if sent < p.get("redis_back", 1 << 62):
        return "redis_away"
    return "after_redis"


def deliveries(scenario, report):
    """Lost, duplicated and out-of-order lines between the clients connected throughout, split by
    same-node and cross-node pairs and by the phase the line was sent in; and the latencies."""
    steady = [c for c in scenario.clients if c.throughout]
    totals = {"expected": 0, "received": 0, "lost": 0, "duplicated": 0}
    by_pair = {"same_node": dict(totals), "cross_node": dict(totals)}
    lost_by_phase, expected_by_phase = {}, {}
    for receiver in steady:
        for sender in steady:
            if sender is receiver:
                continue
            kind = by_pair["same_node" if sender.node == receiver.node else "cross_node"]
            seen = receiver.seen.get(sender.name, b"")
            for seq, sent in enumerate(sender.sent_at):
                count = seen[seq] if seq < len(seen) else 0
                phase = phase_of(scenario, sent)
                expected_by_phase[phase] = expected_by_phase.get(phase, 0) + 1
                kind["expected"] += 1
                if count:
                    kind["received"] += 1
                    kind["duplicated"] += count - 1
                else:
                    kind["lost"] += 1
                    lost_by_phase[phase] = lost_by_phase.get(phase, 0) + 1
    report["throughout_clients"] = len(steady)
    report["lines_sent"] = sum(len(c.sent_at) for c in scenario.clients)
    report["deliveries"] = by_pair
    report["lost_by_phase"] = {p: f"{lost_by_phase.get(p, 0)}/{expected_by_phase[p]}" for p in PHASES if p in expected_by_phase}
    report["out_of_order"] = sum(c.out_of_order for c in steady)
    report["latency_ms"] = {
        "cross_node": {"n": len(scenario.lat_cross), "p50": ms(percentile(scenario.lat_cross, 50)),
                       "p99": ms(percentile(scenario.lat_cross, 99))},
        **{f"cross_node_{p}": {"n": len(v), "p50": ms(percentile(v, 50)), "p99": ms(percentile(v, 99))}
           for p, v in scenario.lat_cross_by_phase.items()},
        "same_node": {"n": len(scenario.lat_same), "p50": ms(percentile(scenario.lat_same, 50)),
                      "p99": ms(percentile(scenario.lat_same, 99))},
    }


def reconnections(scenario, killed_users, kill_at, report):
    held = set(id(c) for c in killed_users[::5])
    times, from_kill, attempts, never = [], [], [], 0
    for c in killed_users:
        if id(c) in held:
            continue
        if not c.disconnects or c.disconnects[0][1] is None:
            never += 1
            continue
        lost, back, tries = c.disconnects[0]
        times.append(back - lost)
        from_kill.append(back - kill_at)
        attempts.append(tries)
    others = [c for c in scenario.clients if c.node != scenario.nodes[-1].name and c.disconnects
              and c not in killed_users]
    report["reconnection"] = {
        "clients": len(times), "not_back": never,
        "p50_s": round(statistics.median(times), 2) if times else None,
        "max_s": round(max(times), 2) if times else None,
        "p50_from_kill_s": round(statistics.median(from_kill), 2) if from_kill else None,
        "attempts_p50": statistics.median(attempts) if attempts else None,
        "attempts_max": max(attempts) if attempts else None,
        "unexpected_disconnects_elsewhere": len(others),
    }


# ----------------------------------------------------------------------------- after the sending

async def open_direct(node, source, timeout=30):
    reader, writer = await asyncio.open_connection("127.0.0.1", node.chat_port, limit=1 << 16)
    writer.write(proxy_v1(source, node.chat_port))
    return reader, writer


async def double_logins(args, run_id, nodes, report):
    """--pairs accounts (registered first), each logging in on two different nodes at the same
    moment: both connections are brought to the password prompt, then every password is sent in
    one go. Exactly one welcome per account is the goal."""
    pairs = args.pairs
    names = [f"d{run_id}_{i}" for i in range(pairs)]
    source = lambda i: f"10.20.{i // 250}.{i % 250 + 1}"  # noqa: E731: one address per account
    gate = asyncio.Semaphore(32)

    async def register(i):
        async with gate:
            reader, writer = await open_direct(nodes[i % len(nodes)], source(i))
            answer = await login(reader, writer, names[i])
            if not answer.startswith("Welcome"):
                raise HarnessError(f"registering {names[i]}: {answer}")
            writer.write(b"logout\n")
            await read_until(reader, [b"Goodbye.\n"], 10)
            writer.close()

    print(f"registering {pairs} accounts for the double logins ...", flush=True)
    await asyncio.gather(*(register(i) for i in range(pairs)))
    # A logout frees the account's claim in Redis; give the last ones a heartbeat to settle.
    await asyncio.sleep(1)

    async def to_password_prompt(i, node):
        async with gate:
            reader, writer = await open_direct(node, source(i))
            await read_until(reader, [b"Username: "], 30)
            writer.write(names[i].encode() + b"\n")
            prompt = await read_until(reader, [b"Password: "], 30)
            if not prompt.endswith(b"Password: "):
                raise HarnessError(f"{names[i]} on {node.name}: {prompt!r}")
            return reader, writer

    print(f"{pairs} accounts at the password prompt on two nodes each ...", flush=True)
    conns = await asyncio.gather(*(asyncio.gather(to_password_prompt(i, nodes[i % len(nodes)]),
                                                  to_password_prompt(i, nodes[(i + 1) % len(nodes)]))
                                   for i in range(pairs)))
    fired = time.monotonic()
    for pair in conns:
        for _, writer in pair:
            writer.write(PASSWORD + b"\n")

    async def answer(reader):
        try:
            async with asyncio.timeout(60):
                return (await reader.readline()).decode(errors="replace").strip()
        except (TimeoutError, ConnectionError) as e:
            return f"error {e!r}"
    answers = await asyncio.gather(*(asyncio.gather(answer(a[0]), answer(b[0])) for a, b in conns))
    elapsed = time.monotonic() - fired
    outcome = {"one_winner": 0, "two_winners": 0, "no_winner": 0}
    others = {}
    for first, second in answers:
        wins = sum(a.startswith("Welcome") for a in (first, second))
        outcome[["no_winner", "one_winner", "two_winners"][wins]] += 1
        for a in (first, second):
            if not a.startswith("Welcome") and a != "This account is already logged in.":
                others[a[:80]] = others.get(a[:80], 0) + 1
    both_open = await still_open_later([pair for pair, ans in zip(conns, answers)
                                        if all(a.startswith("Welcome") for a in ans)])
    for pair in conns:
        for _, writer in pair:
            writer.close()
    report["double_logins"] = dict(outcome, pairs=pairs, nodes=len(nodes), seconds_to_all_answers=round(elapsed, 2),
                                   other_answers=others, two_winners_both_still_in_after_3s=both_open)


async def still_open_later(pairs, wait=3.0):
    """Of accounts welcomed twice, how many still have both sessions answering whoelse after a
    few heartbeats (a node that finds its claim taken might end its session)."""
    await asyncio.sleep(wait)

    async def answers(reader, writer):
        try:
            writer.write(b"whoelse\n")
            return (await read_until(reader, [b"End of list.\n"], 10)).endswith(b"End of list.\n")
        except (TimeoutError, ConnectionError):
            return False
    results = await asyncio.gather(*(asyncio.gather(answers(*a), answers(*b)) for a, b in pairs))
    return sum(all(r) for r in results)


async def address_limit(args, haproxy, report):
    """One client address opens 3 x Limits:ConnectionsPerAddress connections through HAProxy, all
    at once (round robin spreads them over the nodes): the limit counted over the cluster admits
    exactly that many. Each connection's first words tell: the username prompt or the refusal."""
    limit = args.address_limit
    source = "127.9.9.9"

    async def one():
        since = time.monotonic()
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", haproxy.port, local_addr=(source, 0))
        except OSError:
            return "connect failed", None, None
        ip, port = writer.get_extra_info("sockname")[:2]
        try:
            first = await read_until(reader, [b"Username: ", b"address\n"], 15)
        except (TimeoutError, ConnectionError):
            first = b""
        node = await haproxy.route_of(ip, port, since, timeout=2)
        if first.endswith(b"Username: "):
            return "admitted", node, writer
        writer.close()
        return ("refused" if b"Too many connections" in first else "other"), node, None

    results = await asyncio.gather(*(one() for _ in range(3 * limit)))
    counts, per_node = {}, {}
    for verdict, node, _ in results:
        counts[verdict] = counts.get(verdict, 0) + 1
        if verdict == "admitted":
            per_node[node or "?"] = per_node.get(node or "?", 0) + 1
    for _, _, writer in results:
        if writer:
            writer.close()
    report["address_limit"] = dict(limit=limit, opened=3 * limit, admitted_per_node=dict(sorted(per_node.items(), key=str)),
                                   **counts)


# ----------------------------------------------------------------------------- the run

def node_settings(args):
    return [
        "Storage:Provider=Postgres", "Chat:Backplane=redis",
        "Cluster:HeartbeatSeconds=1", "Cluster:NodeTtlSeconds=3", "Cluster:SessionTtlSeconds=3",
        "Listen:TrustedProxies=127.0.0.1",
        # 1,000 iterations: 2,000 logins in seconds instead of minutes (600,000 in production).
        "Chat:PasswordIterations=1000",
        # Not throttled: the flood limit, the login and registration limits, and the account cap.
        "Chat:LinesPerSecond=1000", "Chat:LineBurst=1000", "Chat:LoginAttemptsPerMinute=0",
        "Chat:RegistrationsPerHour=0", "Chat:MaxAccounts=0",
        # Every scenario client has an address of its own; the limit is what the last phase tests.
        f"Limits:ConnectionsPerAddress={args.address_limit}",
        "Serilog:MinimumLevel:Default=Warning",
    ] + args.setting


def print_report(r):
    lat = r.get("latency_ms", {})
    dl = r.get("deliveries", {})
    rc = r.get("reconnection", {})
    wc = r.get("whoelse_convergence", {})
    dbl = r.get("double_logins", {})
    al = r.get("address_limit", {})
    kill = r.get("kill", {})

    def pct(kind):
        k = dl.get(kind, {})
        e = k.get("expected", 0)
        return (f"{k.get('received', 0)}/{e} received, lost {k.get('lost', 0)} "
                f"({100.0 * k.get('lost', 0) / e if e else 0:.2f}%), duplicated {k.get('duplicated', 0)}")

    print()
    print(f"== SocketHub cluster scenario, {r['date']} commit {r['commit']} (load {r['load_before']} -> {r.get('load_after')})")
    print(f"clients {r['clients']} x {r['rate']} lines/s, {r['duration_s']} s; logins {r.get('login_seconds')} s; "
          f"spread {r.get('spread_at_start')} -> {r.get('spread_at_end')}; "
          f"/audit agrees with HAProxy's routing for {r.get('audit_cross_check', {}).get('agree_with_haproxy')}"
          f" of {r.get('audit_cross_check', {}).get('listed')} listed")
    print(f"kill -9 {kill.get('node')} ({kill.get('users_on_it')} users, {kill.get('held_back')} held back); "
          f"HAProxy marked it down after {kill.get('haproxy_marked_down_after_s')} s")
    print(f"HAProxy's health checks, from the start of the sending: {r.get('haproxy_checks')}")
    print(f"lines sent {r.get('lines_sent')}; clients connected throughout {r.get('throughout_clients')}; "
          f"this client's CPU while sending {r.get('client_cpu_pct_while_sending')} % of a core, load {r.get('load_while_sending')}")
    print(f"  same node:  {pct('same_node')}")
    print(f"  cross node: {pct('cross_node')}")
    print(f"  lost by phase sent in: {r.get('lost_by_phase')}; out of per-sender order: {r.get('out_of_order')}")
    for k in ["cross_node", "same_node"] + [f"cross_node_{p}" for p in PHASES]:
        v = lat.get(k, {})
        print(f"  latency {k}: p50 {v.get('p50')} ms, p99 {v.get('p99')} ms (n={v.get('n')})")
    print(f"reconnection of the killed node's users: p50 {rc.get('p50_s')} s, max {rc.get('max_s')} s "
          f"({rc.get('clients')} users, {rc.get('not_back')} not back; attempts p50 {rc.get('attempts_p50')}, "
          f"max {rc.get('attempts_max')}; p50 from the kill {rc.get('p50_from_kill_s')} s); "
          f"unexpected disconnects elsewhere: {rc.get('unexpected_disconnects_elsewhere')}")
    if wc.get("measurable"):
        print(f"whoelse convergence: {wc.get('seconds')} s after the kill ({wc.get('polls')} polls; "
              f"{wc.get('held_back_listed_just_before_kill')} held-back users listed just before the kill, "
              f"{wc.get('still_listed_at_timeout')} still listed at the timeout)")
    else:
        print(f"whoelse convergence: not measurable: {wc.get('why')}")
    if dbl:
        print(f"double logins: {dbl['pairs']} accounts x 2 on {dbl['nodes']} nodes: one winner {dbl['one_winner']}, "
              f"two {dbl['two_winners']}, none {dbl['no_winner']}; all answered in {dbl['seconds_to_all_answers']} s; "
              f"other answers {dbl['other_answers']}; welcomed twice and both still in after 3 s: "
              f"{dbl.get('two_winners_both_still_in_after_3s')}")
    if al:
        print(f"per-address limit {al['limit']}: {al['opened']} connections from one address through HAProxy: "
              f"admitted {al.get('admitted', 0)} {al.get('admitted_per_node')}, refused {al.get('refused', 0)}, "
              f"other {al.get('other', 0)}")
    for name, logs in r.get("node_logs", {}).items():
        print(f"{name} logged {logs['warnings']} warnings, {logs['errors']} errors: {logs['commonest']}")


def node_log_summary(nodes, top=4):
    """Warnings and errors each node logged (at Warning and above), with the commonest texts."""
    summary = {}
    for node in nodes:
        counts = {}
        try:
            with open(node.proc.log_path, errors="replace") as f:
                for line in f:
                    m = re.match(r"\[[\d:]+ (WRN|ERR|FTL)\] (.*)", line)
                    if m:
                        text = re.sub(r"\d+", "N", m.group(2))[:120]
                        counts[(m.group(1), text)] = counts.get((m.group(1), text), 0) + 1
        except (OSError, AttributeError):
            continue
        summary[node.name] = {
            "warnings": sum(n for (level, _), n in counts.items() if level == "WRN"),
            "errors": sum(n for (level, _), n in counts.items() if level != "WRN"),
            "commonest": [f"{n} x {level} {text}" for (level, text), n in
                          sorted(counts.items(), key=lambda kv: -kv[1])[:top]],
        }
    return summary


def git_commit():
    try:
        return subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], stdout=subprocess.PIPE,
                              text=True).stdout.strip()
    except OSError:
        return "?"


async def main_async(args, folder, children, run_id, report):
    dll = publish_server(args, folder)
    db_name, connection = create_database(run_id, args.pg_pool)
    report["_database"] = db_name
    redis = Redis(children, folder)
    redis.start()
    env = dict(os.environ, ConnectionStrings__SocketHub=connection, ConnectionStrings__Redis=f"127.0.0.1:{redis.port}")
    nodes = [Node(i + 1, dll, children, folder, node_settings(args), env) for i in range(3)]
    print("starting three nodes ...", flush=True)
    await asyncio.to_thread(start_nodes, nodes)
    haproxy = HAProxy(children, folder, nodes)
    haproxy.start()
    # Every node in service at HAProxy (rise 2 x 300 ms) before the first client.
    await asyncio.sleep(1.5)
    report["nodes"] = {n.name: {"offset": n.offset, "chat_port": n.chat_port, "ops_port": n.ops_port} for n in nodes}

    await run_scenario(args, run_id, nodes, redis, haproxy, report)

    victim = nodes[-1]
    live = nodes[:-1]
    print(f"starting {victim.name} again ...", flush=True)
    try:
        if await asyncio.to_thread(victim.start, victim.offset):
            live = nodes
    except HarnessError as e:
        print(f"({victim.name} did not start again: {e}; the double logins use two nodes)", flush=True)
    await double_logins(args, run_id, live, report)
    await asyncio.sleep(1.5)  # HAProxy takes the restarted node back (rise 2)
    await address_limit(args, haproxy, report)
    report["node_logs"] = node_log_summary(nodes)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=90, help="seconds of sending (kill at 1/3, Redis at 2/3)")
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--rate", type=float, default=0.2, help="broadcasts per second per client")
    parser.add_argument("--redis-outage", type=float, default=None, help="seconds Redis is away (5 x duration/90)")
    parser.add_argument("--drain", type=float, default=5, help="seconds to wait for the last deliveries")
    parser.add_argument("--pairs", type=int, default=1000, help="accounts logging in twice at once")
    parser.add_argument("--address-limit", type=int, default=30, help="Limits:ConnectionsPerAddress on every node")
    parser.add_argument("--login-concurrency", type=int, default=16)
    parser.add_argument("--pg-pool", type=int, default=25, help="Maximum Pool Size of each node's PostgreSQL connections")
    parser.add_argument("--dll", help="a built SocketHub.Server.dll instead of publishing one")
    parser.add_argument("--setting", action="append", default=[], help="another Key=Value for every node")
    parser.add_argument("--json", help="write the report as JSON to this file ('-' for stdout)")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (logs, haproxy.cfg)")
    args = parser.parse_args()
    if args.redis_outage is None:
        args.redis_outage = max(1.0, 5.0 * args.duration / 90.0)
    if args.clients > 250 * 250:
        parser.error("at most 62,500 clients (one loopback address each)")

    folder = tempfile.mkdtemp(prefix="sockethub-cluster-")
    children = Children(folder)
    run_id = os.urandom(3).hex()
    report = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "commit": git_commit(),
              "load_before": os.getloadavg()[0], "clients": args.clients, "rate": args.rate,
              "duration_s": args.duration, "redis_outage_s": args.redis_outage}
    # Ctrl-C (even when started in the background, where SIGINT comes ignored) and SIGTERM end the
    # run through the finally below, which stops every child.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    failed = None
    try:
        asyncio.run(main_async(args, folder, children, run_id, report))
    except HarnessError as e:
        failed = str(e)
    except KeyboardInterrupt:
        failed = "interrupted"
    except Exception as e:  # a bug of this script: still a harness failure, with its trace
        import traceback
        traceback.print_exc()
        failed = f"{type(e).__name__}: {e}"
    finally:
        children.stop_all()
        if "_database" in report:
            drop_database(report.pop("_database"))
    report["load_after"] = os.getloadavg()[0]
    if failed:
        shutil.rmtree(os.path.join(folder, "publish"), ignore_errors=True)  # the build is not evidence
        print(f"harness failure: {failed}\n(logs kept in {folder})", file=sys.stderr)
        return 1
    print_report(report)
    if args.json:
        text = json.dumps(report, indent=2)
        if args.json == "-":
            print(text)
        else:
            with open(args.json, "w") as f:
                f.write(text + "\n")
    if args.keep:
        print(f"logs: {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
