using Microsoft.Extensions.DependencyInjection;
using SocketHub.Server.Hosting;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.FaultTests;

/// <summary>
/// A flood of connections from one address past Limits:ConnectionsPerAddress: each extra one
/// gets the one-line reason in its dialect's format and the close, other addresses are not
/// affected, and once the flood is gone the address connects normally again.
/// </summary>
[Trait("Category", "Fault")]
public sealed class ConnectionFloodTests
{
    private const int Limit = 20;
    private const int ExtraPerDialect = 40;

    private static readonly (string Dialect, string Reason)[] Reasons =
    [
        ("board", "ERRToo many connections from your address%"),
        ("history", "Too many connections from your address."),
        ("crypto", "#er#Too many connections from your address#\n"),
        ("chat", "Too many connections from your address\n"),
        ("chat-json", "{\"status\": \"unsuccessful\", \"data\": {\"message\": \"Too many connections from your address\"}}\n"),
        // A clear frame: a 64-byte header with the length, then the text.
        ("secure-chat", "38".PadRight(64) + "Too many connections from your address"),
    ];

    [Fact]
    public async Task Connections_past_the_per_address_limit_get_the_reason_and_the_address_recovers()
    {
        var before = ServerChecks.WorkingSet();
        await using var server = await TestServer.StartAsync(
            $"Limits:ConnectionsPerAddress={Limit}", "History:Users:0=alice", "Chat:PasswordIterations=1000", "Serilog:MinimumLevel:Default=Information");
        var stats = server.App.Services.GetRequiredService<ServerStats>();

        // Fill the allowance of 127.0.0.1 with connections the server has certainly taken in (each has had an answer).
        var held = new List<TcpTestClient>();
        for (var i = 0; i < Limit; i++)
        {
            var client = await TcpTestClient.ConnectAsync(server.BoardPort);
            held.Add(client);
            await client.SendAsync("GET99999999%\n"); // a session: the connection stays open
            Assert.Equal("MSG[]%", await client.ReadUntilAsync("%"));
        }

        // The flood: 40 more on every dialect at once, each turned away with its dialect's reason.
        var flood = Reasons.SelectMany(r => Enumerable.Range(0, ExtraPerDialect).Select(async _ =>
        {
            await using var extra = await TcpTestClient.ConnectAsync(server.PortOf(r.Dialect));
            var closed = await extra.ReadUntilClosedAsync();
            Assert.True(closed.Text == r.Reason, $"{r.Dialect}: expected '{r.Reason}', got '{closed.Text}' (reset: {closed.Reset})");
        })).ToList();

        // Meanwhile another address is served as usual.
        await using (var neighbour = await TcpTestClient.ConnectAsync(server.BoardPort, TcpTestClient.Loopback(2)))
        {
            await neighbour.SendAsync("GET99999999%");
            Assert.Equal("MSG[]%", await neighbour.ReadUntilAsync("%"));
        }

        await Task.WhenAll(flood);
        Assert.Equal(Reasons.Length * ExtraPerDialect, stats.Dialects.Sum(d => d.Rejected));

        foreach (var client in held)
        {
            await client.DisposeAsync();
        }

        await WhenAllClosedAsync(stats);

        // Recovery: the address is welcome again on every dialect.
        await using (var board = await TcpTestClient.ConnectAsync(server.BoardPort))
        {
            await board.SendAsync("POSTback%");
            Assert.Equal("MSGPosting Message!%", await board.ReadUntilAsync("%"));
        }

        await using (var history = await TcpTestClient.ConnectAsync(server.PortOf("history")))
        {
            await history.SendAsync("alice\n");
            Assert.StartsWith("To download this server code", (await history.ReadUntilClosedAsync()).Text, StringComparison.Ordinal);
        }

        await using (var crypto = await TcpTestClient.ConnectAsync(server.PortOf("crypto")))
        {
            await crypto.SendAsync("#xx##\n");
            Assert.Equal("#er#unknown operation#\n", await crypto.ReadUntilAsync("\n"));
        }

        await using (var chat = await TcpTestClient.ConnectAsync(server.PortOf("chat")))
        {
            Assert.Equal("Username: ", await chat.ReadUntilAsync(": "));
        }

        await using (var json = await TcpTestClient.ConnectAsync(server.PortOf("chat-json")))
        {
            await json.SendAsync("{\"command\": \"whoelse\"}\n");
            Assert.Equal("{\"status\": \"unsuccessful\", \"data\": {\"command\": \"whoelse\", \"message\": \"Error. Please log in first\"}}", await json.ReadLineAsync());
        }

        await ServerChecks.AssertHealthyAsync(server.OpsPort);
        ServerChecks.AssertMemoryBounded(before);
        ServerChecks.AssertLogClean(server.DataDirectory);
    }

    [Fact]
    public async Task Tls_connections_past_the_per_address_limit_are_closed_before_the_handshake_and_the_address_recovers()
    {
        const int limit = 5;
        const int extra = 20;
        var before = ServerChecks.WorkingSet();
        await using var server = await TestServer.StartAsync(
            $"Limits:ConnectionsPerAddress={limit}", "Chat:PasswordIterations=1000", "Serilog:MinimumLevel:Default=Information");
        var stats = server.App.Services.GetRequiredService<ServerStats>();

        var held = new List<TlsTestClient>();
        for (var i = 0; i < limit; i++)
        {
            var client = await server.ConnectTlsAsync("board");
            held.Add(client);
            await client.SendAsync("GET99999999%\n");
            Assert.Equal("MSG[]%", await client.ReadUntilAsync("%"));
        }

        // Before a handshake there is no way to say why in a form the client could read: the
        // extra connections are closed, and their handshakes fail.
        var flood = Reasons.SelectMany(r => Enumerable.Range(0, extra).Select(async _ =>
        {
            var refused = await Record.ExceptionAsync(async () => await (await server.ConnectTlsAsync(r.Dialect)).DisposeAsync());
            Assert.True(refused is IOException or System.Security.Authentication.AuthenticationException, $"{r.Dialect}-tls: {refused?.GetType().Name ?? "the handshake succeeded"}");
        })).ToList();

        await using (var neighbour = await server.ConnectTlsAsync("board", TcpTestClient.Loopback(2)))
        {
            await neighbour.SendAsync("GET99999999%");
            Assert.Equal("MSG[]%", await neighbour.ReadUntilAsync("%"));
        }

        await Task.WhenAll(flood);
        Assert.Equal(Reasons.Length * extra, stats.Dialects.Sum(d => d.Rejected));

        foreach (var client in held)
        {
            await client.DisposeAsync();
        }

        await WhenAllClosedAsync(stats);
        await using (var board = await server.ConnectTlsAsync("board"))
        {
            await board.SendAsync("POSTback%");
            Assert.Equal("MSGPosting Message!%", await board.ReadUntilAsync("%"));
        }

        await ServerChecks.AssertHealthyAsync(server.OpsPort);
        ServerChecks.AssertMemoryBounded(before);
        ServerChecks.AssertLogClean(server.DataDirectory);
    }

    /// <summary>
    /// The server notices a client's close on its own schedule; wait (bounded) until it has let
    /// go of every connection, so the recovery checks start from an empty allowance.
    /// </summary>
    private static async Task WhenAllClosedAsync(ServerStats stats)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (stats.Dialects.Sum(d => d.Open) > 0)
        {
            Assert.True(waited.Elapsed < RawClient.Deadline, $"After {RawClient.Deadline} the server still counts {stats.Dialects.Sum(d => d.Open)} open connections, {stats.Dialects.Sum(d => d.Total)} taken in and {stats.Dialects.Sum(d => d.Rejected)} refused.");
            await Task.Delay(TimeSpan.FromMilliseconds(10), TestContext.Current.CancellationToken);
        }
    }
}
