#!/usr/bin/env python3
"""A tiny Fernet TCP server speaking the crypto dialect's two requests, for comparison over the
socket: "#en#<text>#\\n" -> "#en#<token>#\\n" and "#de#<token>#\\n" -> "#de#<text>#\\n" (anything
else: "#error#\\n"). asyncio, one process, Python's `cryptography`.

    python3 bench/fernet_tcp_server.py --port 24900 &
    python3 bench/crypto_roundtrips.py --port 24900 --connections 16 --seconds 8
"""
import argparse
import asyncio

from cryptography.fernet import Fernet, InvalidToken


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    fernet = Fernet(Fernet.generate_key())

    async def serve(reader, writer):
        try:
            while line := await reader.readline():
                line = line.rstrip(b"\r\n")
                if len(line) >= 5 and line.startswith((b"#en#", b"#de#")) and line.endswith(b"#"):
                    op, payload = line[1:3], line[4:-1]
                    try:
                        result = fernet.encrypt(payload) if op == b"en" else fernet.decrypt(payload)
                        writer.write(b"#" + op + b"#" + result + b"#\n")
                    except InvalidToken:
                        writer.write(b"#error#\n")
                else:
                    writer.write(b"#error#\n")
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()

    async def run():
        server = await asyncio.start_server(serve, "127.0.0.1", args.port)
        async with server:
            await server.serve_forever()

    asyncio.run(run())


if __name__ == "__main__":
    main()
