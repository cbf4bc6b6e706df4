using Microsoft.Extensions.DependencyInjection;
using SocketHub.Server.Ops;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Hosting;

/// <summary>Refused connections are summarised per address and interval, not written one line each.</summary>
public sealed class RefusalSummaryTests
{
    [Fact]
    public async Task Many_refusals_from_one_address_leave_one_line_in_the_feed_not_one_each()
    {
        await using var server = await TestServer.StartAsync("Limits:ConnectionsPerAddress=1");
        await using var held = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));
        await held.SendAsync("#gk##\n");
        await held.ReadLineAsync();
        for (var i = 0; i < 50; i++)
        {
            await using var refused = await TcpTestClient.ConnectAsync(server.PortOf("crypto"));
            Assert.Equal("#er#Too many connections from your address#\n", await refused.ReadToEndAsync());
        }

        var feed = server.App.Services.GetRequiredService<ActivityFeed>().Recent();
        // The first refusal at once; at most one summary line if the interval ended meanwhile.
        Assert.InRange(feed.Count(e => e.Text.Contains("turned away", StringComparison.Ordinal)), 1, 2);
    }
}
