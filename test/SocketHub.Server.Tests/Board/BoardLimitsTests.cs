using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Board;

public sealed class BoardLimitsTests
{
    [Fact]
    public async Task Posts_over_the_rate_are_refused_and_not_stored()
    {
        // A refill so slow it cannot add a token during the test: exactly the burst gets through.
        await using var server = await TestServer.StartAsync("Board:PostsPerSecond=0.001", "Board:PostBurst=3");
        await using var client = await TcpTestClient.ConnectAsync(server.BoardPort);
        await client.SendAsync("POSTa%POSTb%POSTc%POSTd%POSTe%GET1%\n");
        Assert.Equal(
            "MSGPosting Message!%MSGPosting Message!%MSGPosting Message!%ERRRate Limited%ERRRate Limited%" +
            "MSG[(2, 'a'), (3, 'b'), (4, 'c')]%",
            await client.ReadRepliesAsync(6));
    }

    [Fact]
    public async Task Rate_limit_is_per_address_and_shared_by_its_connections()
    {
        await using var server = await TestServer.StartAsync("Board:PostsPerSecond=0.001", "Board:PostBurst=2");
        await using var first = await TcpTestClient.ConnectAsync(server.BoardPort);
        await using var second = await TcpTestClient.ConnectAsync(server.BoardPort);
        await first.SendAsync("POSTa%POSTb%\n");
        await first.ReadRepliesAsync(2);
        await second.SendAsync("POSTc%GET%\n");
        Assert.Equal("ERRRate Limited%MSG[(1, 'Server has Started'), (2, 'a'), (3, 'b')]%", await second.ReadRepliesAsync(2));
    }

    [Fact]
    public async Task Get_lists_only_the_newest_max_listed_messages_oldest_first()
    {
        await using var server = await TestServer.StartAsync("Board:MaxListed=3");
        await using var client = await TcpTestClient.ConnectAsync(server.BoardPort);
        await client.SendAsync("POSTa%POSTb%POSTc%POSTd%\n");
        await client.ReadRepliesAsync(4);
        await client.SendAsync("GET%GET1%\n");
        Assert.Equal("MSG[(3, 'b'), (4, 'c'), (5, 'd')]%MSG[(3, 'b'), (4, 'c'), (5, 'd')]%", await client.ReadRepliesAsync(2));
    }

    [Fact]
    public async Task Connections_over_the_per_address_limit_get_a_reason_then_close()
    {
        await using var server = await TestServer.StartAsync("Limits:ConnectionsPerAddress=2");
        await using var first = await TcpTestClient.ConnectAsync(server.BoardPort);
        await using var second = await TcpTestClient.ConnectAsync(server.BoardPort);
        await first.SendAsync("GET9%\n");
        await first.ReadRepliesAsync(1);
        await second.SendAsync("GET9%\n");
        await second.ReadRepliesAsync(1);

        await using (var third = await TcpTestClient.ConnectAsync(server.BoardPort))
        {
            Assert.Equal("ERRToo many connections from your address%", await third.ReadToEndAsync());
        }

        // The server frees the slot before it closes the socket, so once we see the close a
        // new connection is served again.
        first.ShutdownSend();
        await first.ReadToEndAsync();
        await using var fourth = await TcpTestClient.ConnectAsync(server.BoardPort);
        await fourth.SendAsync("GET9%\n");
        Assert.Equal("MSG[]%", await fourth.ReadRepliesAsync(1));
    }
}
