using System.Net;
using SocketHub.Server.Ops;

namespace SocketHub.Server.Hosting;

/// <summary>
/// Connections turned away, summarised per address and reason: the first refusal of an interval
/// is logged and shown in the activity feed at once, the rest of that interval as one line with
/// their count when it ends. Thousands of refusals a second from one address would otherwise
/// write a log line each (rotating two weeks of logs away in minutes) and push every real event
/// out of the feed.
/// </summary>
public sealed class RefusalSummary : IDisposable
{
    /// <summary>How often the counts of further refusals are written.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly ActivityFeed _activity;
    private readonly ILogger<RefusalSummary> _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<(IPAddress Address, string Reason), Entry> _entries = [];
    private readonly ITimer _timer;

    public RefusalSummary(ActivityFeed activity, TimeProvider time, ILogger<RefusalSummary> logger)
    {
        _activity = activity;
        _logger = logger;
        _timer = time.CreateTimer(static state => ((RefusalSummary)state!).Flush(), this, Interval, Interval);
    }

    /// <summary>Counts one refusal; only the first of its address and reason in an interval is written now.</summary>
    public void Refused(string dialect, IPAddress address, string reason)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue((address, reason), out var entry))
            {
                entry.More++;
                return;
            }

            _entries[(address, reason)] = new Entry(dialect);
        }

        HostingLog.Refused(_logger, dialect, address, reason);
        _activity.Add(dialect, $"{address}: turned away, {reason}");
    }

    public void Dispose() => _timer.Dispose();

    private void Flush()
    {
        List<((IPAddress Address, string Reason) Key, Entry Entry)> ended;
        lock (_lock)
        {
            ended = _entries.Select(e => (e.Key, e.Value)).ToList();
            _entries.Clear();
        }

        foreach (var ((address, reason), entry) in ended.Where(e => e.Entry.More > 0))
        {
            HostingLog.RefusedMore(_logger, entry.More, entry.Dialect, address, reason, Interval.TotalSeconds);
            _activity.Add(entry.Dialect, $"{address}: {entry.More} more turned away in {Interval.TotalSeconds:0} s, {reason}");
        }
    }

    private sealed class Entry(string dialect)
    {
        public string Dialect { get; } = dialect;

        public int More { get; set; }
    }
}
