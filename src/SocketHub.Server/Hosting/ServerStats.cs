using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace SocketHub.Server.Hosting;

/// <summary>
/// Every dialect's counters, and the <c>SocketHub</c> meter that publishes them for
/// dotnet-counters and OpenTelemetry. Instruments observe the same fields /audit reads.
/// </summary>
public sealed class ServerStats : IDisposable
{
    public const string MeterName = "SocketHub";

    private readonly ConcurrentDictionary<string, DialectStats> _dialects = new();
    private readonly Meter _meter;

    public ServerStats(IMeterFactory meterFactory, TimeProvider time)
    {
        StartedAt = time.GetUtcNow();
        _meter = meterFactory.Create(MeterName);
        Observe("sockethub.connections.open", "{connection}", "Connections open now", s => s.Open, upDown: true);
        Observe("sockethub.connections.total", "{connection}", "Connections accepted", s => s.Total);
        Observe("sockethub.connections.rejected", "{connection}", "Connections turned away by a limit", s => s.Rejected);
        Observe("sockethub.bytes.in", "By", "Bytes received", s => s.BytesIn);
        Observe("sockethub.bytes.out", "By", "Bytes sent", s => s.BytesOut);
        Observe("sockethub.requests", "{request}", "Requests answered", s => s.Requests);
        Observe("sockethub.errors", "{error}", "Error replies and failed connections", s => s.Errors);
    }

    public DateTimeOffset StartedAt { get; }

    public IEnumerable<DialectStats> Dialects => _dialects.Values;

    public DialectStats For(Dialect dialect) => _dialects.GetOrAdd(dialect.Name, _ => new DialectStats(dialect));

    public void Dispose() => _meter.Dispose();

    private void Observe(string name, string unit, string description, Func<DialectStats, long> read, bool upDown = false)
    {
        IEnumerable<Measurement<long>> Measure() =>
            _dialects.Values.Select(s => new Measurement<long>(read(s), new KeyValuePair<string, object?>("dialect", s.Dialect.Name)));

        if (upDown)
        {
            _meter.CreateObservableUpDownCounter(name, Measure, unit, description);
        }
        else
        {
            _meter.CreateObservableCounter(name, Measure, unit, description);
        }
    }
}
