#!/usr/bin/env python3
"""Python's `cryptography` Fernet, in process, for comparison with FernetBenchmarks
(BenchmarkDotNet): encrypt and decrypt of 64 B and 4 KiB, best of --repeat timeit runs.

    python3 bench/fernet_python.py
"""
import argparse
import os
import timeit

import cryptography
from cryptography.fernet import Fernet


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=1.0, help="about how long each timeit run lasts")
    args = parser.parse_args()

    f = Fernet(Fernet.generate_key())
    print(f"cryptography {cryptography.__version__}")
    print("| operation | size | us/op (best) | us/op (median) | ops/s (best) |")
    print("|---|---|---|---|---|")
    for size in (64, 4096):
        data = os.urandom(size)
        token = f.encrypt(data)
        for name, call in (("encrypt", lambda: f.encrypt(data)), ("decrypt", lambda: f.decrypt(token))):
            timer = timeit.Timer(call)
            loops, _ = timer.autorange()
            loops = max(1, int(loops * args.seconds / 0.2))
            runs = sorted(t / loops for t in timer.repeat(repeat=args.repeat, number=loops))
            best, median = runs[0], runs[len(runs) // 2]
            print(f"| {name} | {size} B | {best * 1e6:.2f} | {median * 1e6:.2f} | {1 / best:,.0f} |")


if __name__ == "__main__":
    main()
