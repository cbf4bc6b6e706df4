using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using SocketHub.Server.Hosting;
using SocketHub.TestSupport;

namespace SocketHub.Server.Tests.Infrastructure;

/// <summary>Reads a test server's <c>SocketHub</c> meter once, as dotnet-counters would.</summary>
public static class MeterReadings
{
    /// <summary>
    /// Every long measurement of this server's instruments, keyed "<c>instrument tagvalue</c>"
    /// (for example <c>sockethub.requests board</c>), or by the instrument name alone when untagged.
    /// </summary>
    public static Dictionary<string, long> Read(TestServer server)
    {
        // Other tests run servers at the same time, each with a meter of this name: listen only
        // to this server's, which its meter factory scopes.
        var factory = server.App.Services.GetRequiredService<IMeterFactory>();
        var seen = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ServerStats.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (tags.Length == 0)
            {
                seen[instrument.Name] = value;
            }

            foreach (var tag in tags)
            {
                seen[$"{instrument.Name} {tag.Value}"] = value;
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return seen;
    }
}
