"""Shared pieces of the chat load scripts (chat_broadcast.py, chat_vs_ncat.py): a client's
counters, the text dialect's login, a receiver that counts marked lines (and, on a few probe
clients, times each one), a paced sender, the wait for the last deliveries, and a process's CPU
time."""
import asyncio
import os
import time


class User:
    def __init__(self, name):
        self.name = name
        self.received = 0
        self.last = 0.0
        self.sent = 0
        self.closed = False


async def text_login(reader, writer, name, password=b"pw"):
    """Logs in on the text dialect (open registration creates the account)."""
    await reader.readuntil(b"Username: ")
    writer.write(name.encode() + b"\n")
    await reader.readuntil(b"Password: ")
    writer.write(password + b"\n")
    line = await reader.readline()
    if not line.startswith(b"Welcome"):
        raise RuntimeError(f"{name}: {line!r}")


def now_us():
    """The clock a line's send time is written in (and read back against): microseconds."""
    return time.monotonic_ns() // 1000


async def count_marked(reader, user, mark, latencies=None):
    """Counts occurrences of mark in everything received, even across reads, until the close
    (the server disconnects a user whose queue overflowed, that is, who read too slowly).
    With a latencies list, every marked line is also timed: the word after `mark <n>` is its
    send time (now_us()), and the time it was read minus that is appended, in seconds. Only a
    few probe clients do this, so parsing costs the load generator little."""
    if latencies is not None:
        return await _time_marked(reader, user, mark, latencies)
    tail = b""
    while True:
        try:
            chunk = await reader.read(1 << 16)
        except (ConnectionError, asyncio.CancelledError):
            chunk = b""
        if not chunk:
            user.closed = True
            return
        data = tail + chunk
        found = data.count(mark)
        if found:
            user.received += found
            user.last = time.monotonic()
        tail = data[-(len(mark) - 1):]


async def _time_marked(reader, user, mark, latencies):
    tail = b""
    skip = len(mark) + 1
    while True:
        try:
            chunk = await reader.read(1 << 16)
        except (ConnectionError, asyncio.CancelledError):
            chunk = b""
        if not chunk:
            user.closed = True
            return
        now = now_us()
        lines = (tail + chunk).split(b"\n")
        tail = lines.pop()
        found = 0
        for line in lines:
            at = line.find(mark)
            if at >= 0:
                found += 1
                sent = line[at + skip:].split(b" ", 2)[1]
                latencies.append((now - int(sent)) / 1e6)
        if found:
            user.received += found
            user.last = time.monotonic()


async def paced_send(writer, user, line_for, rate, deadline, offset=0.0):
    """Writes line_for(n) rate times a second until the deadline (or the close), the first one
    offset seconds from now."""
    interval = 1.0 / rate
    next_at = time.monotonic() + offset
    while True:
        now = time.monotonic()
        if now >= deadline or user.closed:
            return
        if now < next_at:
            await asyncio.sleep(next_at - now)
            continue
        writer.write(line_for(user.sent))
        user.sent += 1
        next_at += interval


async def wait_for_deliveries(users, expected, begin, deadline, grace=10):
    """Waits (up to grace seconds) for the expected deliveries; returns (delivered, elapsed s)."""
    drain_until = time.monotonic() + grace
    while sum(u.received for u in users) < expected and time.monotonic() < drain_until:
        await asyncio.sleep(0.05)
    delivered = sum(u.received for u in users)
    last = max((u.last for u in users), default=deadline)
    return delivered, max(last, deadline) - begin


def cpu_seconds(pid):
    """User plus system CPU seconds process pid has used so far (from /proc/<pid>/stat)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
