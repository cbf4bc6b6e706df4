using SocketHub.Server.Tests.Infrastructure;
using SocketHub.TestSupport;
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

        var seen = MeterReadings.Read(server);

        Assert.Equal(1, seen["sockethub.connections.total board"]);
        Assert.Equal(0, seen["sockethub.connections.open board"]);
        Assert.Equal(1, seen["sockethub.requests board"]);
        Assert.Equal(4, seen["sockethub.bytes.in board"]);
        Assert.True(seen["sockethub.bytes.out board"] > 0);
    }
}
