"""Secure chat relay latency: one secure-chat client says lines, a second one (and, with
--telnet, a text-dialect user) receives them; prints the time from sending a line to the second
secure client having decrypted it. Each line costs the server one RSA-OAEP decryption and one
encryption per secure recipient. Needs Python 3 with cryptography, and a server whose flood
control lets the lines through, e.g.:

    dotnet src/SocketHub.Server/bin/Release/net10.0/SocketHub.Server.dll --Chat:LinesPerSecond=1000 --Chat:LineBurst=1000
    python3 bench/secure_chat_latency.py --port 8081 --lines 300
"""
import argparse
import base64
import socket
import time
import uuid

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from latency import summary

OAEP = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


def exactly(sock, n):
    data = b""
    while len(data) < n:
        more = sock.recv(n - len(data))
        if not more:
            raise SystemExit(f"the server closed after {len(data)} of {n} bytes")
        data += more
    return data


def send_clear(sock, text):
    payload = text.encode("utf-8")
    sock.sendall(str(len(payload)).encode().ljust(64) + payload)


def receive_clear(sock):
    return exactly(sock, int(exactly(sock, 64))).decode("utf-8")


class SecureUser:
    def __init__(self, host, port, name):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.sock = socket.create_connection((host, port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        send_clear(self.sock, name)
        send_clear(self.sock, "bench-" + name)
        answer = receive_clear(self.sock)
        if answer != "OK":
            raise SystemExit(f"login of {name}: {answer}")
        receive_clear(self.sock)
        public = self.key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        send_clear(self.sock, public.decode())
        self.server = serialization.load_pem_public_key(receive_clear(self.sock).encode())

    def say(self, text):
        payload = base64.b64encode(self.server.encrypt(text.encode("utf-8"), OAEP))
        self.sock.sendall(base64.b64encode(str(len(payload)).encode()).ljust(64) + payload)

    def receive(self):
        length = int(base64.b64decode(exactly(self.sock, 64)))
        return self.key.decrypt(base64.b64decode(exactly(self.sock, length)), OAEP).decode("utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--lines", type=int, default=300)
    args = parser.parse_args()

    tag = uuid.uuid4().hex[:6]
    sender = SecureUser(args.host, args.port, f"s{tag}")
    receiver = SecureUser(args.host, args.port, f"r{tag}")
    while receiver.receive() != f"r{tag}: [ CONNECTED ]":
        pass

    latencies = []
    started = time.perf_counter()
    for i in range(args.lines):
        sent = time.perf_counter()
        sender.say(f"line {i}\n")
        while not receiver.receive().endswith(f"line {i}\n"):
            pass
        latencies.append(time.perf_counter() - sent)
    elapsed = time.perf_counter() - started
    print(f"{args.lines} lines relayed secure -> server -> secure in {elapsed:.2f} s ({args.lines / elapsed:.0f} lines/s, one at a time)")
    print(summary(latencies))
    sender.say("disconnect\n")
    receiver.say("disconnect\n")


if __name__ == "__main__":
    main()
