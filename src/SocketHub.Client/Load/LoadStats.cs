using System.Diagnostics;

namespace SocketHub.Client.Load;

/// <summary>Counters shared by every worker of one load run; latencies are kept per worker and merged at the end.</summary>
public sealed class LoadStats
{
    private readonly List<List<double>> _latencies = [];
    private long _requests;
    private long _errors;
    private long _rateLimited;
    private long _deliveries;

    public long Requests => Interlocked.Read(ref _requests);

    public long Errors => Interlocked.Read(ref _errors);

    public long RateLimited => Interlocked.Read(ref _rateLimited);

    public long Deliveries => Interlocked.Read(ref _deliveries);

    /// <summary>The first error's text, to say what went wrong.</summary>
    public string? FirstError { get; private set; }

    /// <summary>Set when measuring starts and stops (chat logs in first, unmeasured).</summary>
    public bool Measuring { get; set; }

    public List<double> NewWorkerLatencies()
    {
        var list = new List<double>();
        lock (_latencies)
        {
            _latencies.Add(list);
        }

        return list;
    }

    public void Succeeded(List<double> latencies, long startTimestamp)
    {
        if (!Measuring)
        {
            return;
        }

        latencies.Add(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds);
        Interlocked.Increment(ref _requests);
    }

    public void Limited()
    {
        if (Measuring)
        {
            Interlocked.Increment(ref _rateLimited);
        }
    }

    public void Failed(string reason)
    {
        if (!Measuring)
        {
            return;
        }

        Interlocked.Increment(ref _errors);
        lock (_latencies)
        {
            FirstError ??= reason;
        }
    }

    public void Delivered()
    {
        if (Measuring)
        {
            Interlocked.Increment(ref _deliveries);
        }
    }

    /// <summary>p50, p90, p99 and max of every measured latency, in milliseconds (zeros when none).</summary>
    public (double P50, double P90, double P99, double Max) Percentiles()
    {
        double[] all;
        lock (_latencies)
        {
            all = [.. _latencies.SelectMany(l => l)];
        }

        if (all.Length == 0)
        {
            return (0, 0, 0, 0);
        }

        Array.Sort(all);
        return (At(all, 0.50), At(all, 0.90), At(all, 0.99), all[^1]);
    }

    private static double At(double[] sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}
