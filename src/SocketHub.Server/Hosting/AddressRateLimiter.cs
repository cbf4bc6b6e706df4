using System.Collections.Concurrent;

namespace SocketHub.Server.Hosting;

/// <summary>
/// A token bucket per remote address: <c>burst</c> requests at once, refilled at
/// <c>perSecond</c>. Time comes from <see cref="TimeProvider"/> so tests can move it.
/// Buckets of quiet addresses are dropped so the table stays small.
/// </summary>
public sealed class AddressRateLimiter(double perSecond, int burst, TimeProvider time)
{
    private const int SweepThreshold = 4096;

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new();

    public bool TryAcquire(string address)
    {
        var now = time.GetTimestamp();
        if (_buckets.Count > SweepThreshold)
        {
            Sweep(now);
        }

        var bucket = _buckets.GetOrAdd(address, _ => new Bucket(burst, now));
        lock (bucket)
        {
            bucket.Refill(now, perSecond, burst, time);
            if (bucket.Tokens < 1)
            {
                return false;
            }

            bucket.Tokens -= 1;
            return true;
        }
    }

    private void Sweep(long now)
    {
        foreach (var (address, bucket) in _buckets)
        {
            lock (bucket)
            {
                bucket.Refill(now, perSecond, burst, time);
                if (bucket.Tokens >= burst)
                {
                    _buckets.TryRemove(address, out _);
                }
            }
        }
    }

    private sealed class Bucket(double tokens, long stamp)
    {
        private long _stamp = stamp;

        public double Tokens { get; set; } = tokens;

        public void Refill(long now, double perSecond, int burst, TimeProvider time)
        {
            if (now > _stamp)
            {
                Tokens = Math.Min(burst, Tokens + (time.GetElapsedTime(_stamp, now).TotalSeconds * perSecond));
                _stamp = now;
            }
        }
    }
}
