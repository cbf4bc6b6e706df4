"""The latency summary the request benchmarks print: percentiles of the measured seconds, in ms."""
import statistics


def summary(latencies, percentiles=(0.50, 0.90, 0.99)):
    """'latency ms: p50=… p90=… p99=… max=… mean=…' for a list of latencies in seconds."""
    ms = sorted(x * 1000 for x in latencies)
    if not ms:
        return "latency ms: none measured"
    parts = [f"p{round(p * 100)}={ms[min(len(ms) - 1, int(len(ms) * p))]:.2f}" for p in percentiles]
    return f"latency ms: {' '.join(parts)} max={ms[-1]:.2f} mean={statistics.fmean(ms):.2f}"
