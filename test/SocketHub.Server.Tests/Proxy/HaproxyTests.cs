using Microsoft.Extensions.DependencyInjection;
using SocketHub.Server.Ops;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Proxy;

/// <summary>
/// The deployment the PROXY protocol is for: students reach SocketHub through HAProxy in TCP
/// mode (<c>send-proxy-v2</c>). Every connection reaches the server from HAProxy's address, so
/// only the header tells students apart: with one connection per address, a second student is
/// served and the same student twice is refused.
/// </summary>
public sealed class HaproxyTests
{
    [Fact]
    public async Task A_post_through_haproxy_works_and_the_server_sees_each_students_address()
    {
        if (HaproxyProcess.Binary() is not { } binary)
        {
            Assert.Skip("haproxy is not installed (apt-get install haproxy; .ci/run installs it).");
            return;
        }

        await using var server = await TestServer.StartAsync("Listen:TrustedProxies=127.0.0.1", "Limits:ConnectionsPerAddress=1");
        await using var haproxy = await HaproxyProcess.StartAsync(binary, server.BoardPort);
        var alice = TcpTestClient.Loopback(5);
        var bob = TcpTestClient.Loopback(6);

        await using var first = await TcpTestClient.ConnectAsync(haproxy.Port, alice);
        await first.SendAsync("POSThello through haproxy%\n");
        Assert.Equal("MSGPosting Message!%", await first.ReadRepliesAsync(1));

        await using (var other = await TcpTestClient.ConnectAsync(haproxy.Port, bob))
        {
            await other.SendAsync("GET1%\n");
            Assert.Equal("MSG[(2, 'hello through haproxy')]%", await other.ReadRepliesAsync(1));
        }

        await using (var again = await TcpTestClient.ConnectAsync(haproxy.Port, alice))
        {
            Assert.Equal("ERRToo many connections from your address%", await again.ReadToEndAsync());
        }

        var feed = server.App.Services.GetRequiredService<ActivityFeed>().Recent();
        Assert.Contains(feed, e => e.Text.StartsWith($"{alice}: turned away, over the per-address connection limit", StringComparison.Ordinal));
        Assert.DoesNotContain(feed, e => e.Text.Contains("PROXY protocol", StringComparison.Ordinal));
    }
}
