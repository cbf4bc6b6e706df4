using SocketHub.Server.Hosting;

namespace SocketHub.Server.Ops;

/// <summary>Connections accepted and messages (requests answered) in one minute, all dialects together.</summary>
public sealed record TrafficMinute(DateTimeOffset Minute, long Connections, long Messages);

/// <summary>
/// Connections and messages per minute over the last hour, for the instructor's chart. Made from
/// the counters the server keeps anyway (<see cref="ServerStats"/>, the ones /audit and /metrics
/// show): a sample of their totals at least every <see cref="SampleEvery"/>, and at every read,
/// marks where each minute began. In memory only; it starts empty with the server.
/// </summary>
public sealed class TrafficHistory(ServerStats stats, TimeProvider time)
{
    public const int Minutes = 60;

    public static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(5);

    // The totals as they stood when each minute was first sampled: a minute's figure is the next
    // minute's start minus its own. The counters start at 0 with the server, so the first minute
    // starts from 0 and the figures always add up to the totals.
    private readonly Queue<(DateTimeOffset Minute, long Connections, long Messages)> _starts = new(Minutes + 1);
    private readonly Lock _lock = new();
    private (long Connections, long Messages) _last;

    /// <summary>Notes the current totals (the sampler calls this; so does every read).</summary>
    public void Sample() => Sample(time.GetUtcNow(), Totals());

    /// <summary>The last <see cref="Minutes"/> minutes, oldest first, ending with the current (partial) one.</summary>
    public IReadOnlyList<TrafficMinute> LastHour()
    {
        var now = time.GetUtcNow();
        var totals = Totals();
        Sample(now, totals);

        var current = MinuteOf(now);
        var figures = new Dictionary<DateTimeOffset, TrafficMinute>();
        lock (_lock)
        {
            var starts = _starts.ToArray();
            for (var i = 0; i < starts.Length; i++)
            {
                var end = i + 1 < starts.Length ? (starts[i + 1].Connections, starts[i + 1].Messages) : totals;
                figures[starts[i].Minute] = new TrafficMinute(starts[i].Minute, end.Connections - starts[i].Connections, end.Messages - starts[i].Messages);
            }
        }

        return Enumerable.Range(0, Minutes)
            .Select(i => current.AddMinutes(i - (Minutes - 1)))
            .Select(minute => figures.GetValueOrDefault(minute) ?? new TrafficMinute(minute, 0, 0))
            .ToList();
    }

    private void Sample(DateTimeOffset now, (long Connections, long Messages) totals)
    {
        var minute = MinuteOf(now);
        lock (_lock)
        {
            if (_starts.Count == 0 || _starts.Last().Minute < minute)
            {
                _starts.Enqueue((minute, _last.Connections, _last.Messages));
                while (_starts.Count > Minutes + 1)
                {
                    _starts.Dequeue();
                }
            }

            _last = totals;
        }
    }

    private (long Connections, long Messages) Totals()
    {
        long connections = 0, messages = 0;
        foreach (var dialect in stats.Dialects)
        {
            connections += dialect.Total;
            messages += dialect.Requests;
        }

        return (connections, messages);
    }

    private static DateTimeOffset MinuteOf(DateTimeOffset t) =>
        new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
}

/// <summary>Samples <see cref="TrafficHistory"/> often enough that each minute's start is known to within a few seconds.</summary>
internal sealed class TrafficSampler(TrafficHistory history, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TrafficHistory.SampleEvery, time);
        history.Sample();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                history.Sample();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
