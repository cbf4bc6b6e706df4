using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using SocketHub.Server.Hosting;
using SocketHub.Server.Tests.Infrastructure;
using Xunit;

namespace SocketHub.Server.Tests.Ops;

public sealed class MetricsTests
{
    [Fact]
    public async Task Connection_counters_are_published_on_the_SocketHub_meter()
    {
        await using var server = await TestServer.StartAsync();
        await using (var client = await TcpTestClient.ConnectAsync(server.BoardPort))
        {
            await client.SendAsync("GET%");
            client.ShutdownSend();
            await client.ReadToEndAsync();
        }

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
            foreach (var tag in tags)
            {
                if (tag is { Key: "dialect", Value: "board" })
                {
                    seen[instrument.Name] = value;
                }
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.Equal(1, seen["sockethub.connections.total"]);
        Assert.Equal(0, seen["sockethub.connections.open"]);
        Assert.Equal(1, seen["sockethub.requests"]);
        Assert.Equal(4, seen["sockethub.bytes.in"]);
        Assert.True(seen["sockethub.bytes.out"] > 0);
    }
}
