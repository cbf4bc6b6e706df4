using System.Net;
using System.Text;
using System.Text.Unicode;
using SocketHub.Protocol.Board;
using SocketHub.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using SocketHub.TestSupport;
using Xunit;

namespace SocketHub.Server.Tests.Board;

/// <summary>Whatever a client sends, the server stays up, answers others and keeps counting.</summary>
public sealed class BoardHostileInputTests
{
    [Fact]
    public async Task Random_bytes_from_many_clients_get_an_answer_to_every_command_and_never_take_the_server_down()
    {
        await using var server = await TestServer.StartAsync("Board:IdleTimeoutSeconds=5");
        var random = new Random(20261121);
        var sessions = Enumerable.Range(0, 40).Select(_ => RandomSession(random)).ToList();

        await Task.WhenAll(sessions.Select(async session =>
        {
            await using var client = await TcpTestClient.ConnectAsync(server.BoardPort);
            await client.SendAsync(session.Bytes);
            client.ShutdownSend();
            Assert.Equal(session.Replies, await client.ReadToEndAsync());
        }));

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.OpsPort}") };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
        await using var normal = await TcpTestClient.ConnectAsync(server.BoardPort);
        await normal.SendAsync("POSTstill here%\n");
        Assert.Equal("MSGPosting Message!%", await normal.ReadRepliesAsync(1));
    }

    /// <summary>
    /// A line end, then up to 9000 random bytes, and the replies the board owes them. The line end
    /// makes the connection a session, which stays open until the client is done: without it the
    /// original's close after one batch could come while the bytes are still arriving, and reset
    /// the rest. 0xFF, the telnet escape, is left out (the telnet tests cover it), so every
    /// <c>%</c> ends a command; each command is answered, "ERRInvalid Encoding%" when it is not
    /// UTF-8 and "ERRUnknown Command%" otherwise, and what follows the last <c>%</c> is never finished.
    /// </summary>
    private static (byte[] Bytes, string Replies) RandomSession(Random random)
    {
        var blob = new byte[random.Next(1, 9000)];
        random.NextBytes(blob);
        blob.AsSpan().Replace((byte)0xFF, (byte)0xFE);

        var replies = new StringBuilder();
        var rest = blob.AsSpan();
        for (var end = rest.IndexOf((byte)'%'); end >= 0; end = rest.IndexOf((byte)'%'))
        {
            var command = rest[..end].TrimStart(" \t\r\n"u8);
            // What the seed made must be what this test means: no command, none too long.
            Assert.False(command.StartsWith("POST"u8) || command.StartsWith("GET"u8));
            Assert.True(end <= BoardFraming.MaxTextLength);
            replies.Append(Utf8.IsValid(command) ? "ERRUnknown Command%" : "ERRInvalid Encoding%");
            rest = rest[(end + 1)..];
        }

        Assert.True(rest.Length <= BoardFraming.MaxTextLength);
        return ([(byte)'\n', .. blob], replies.ToString());
    }

    [Theory]
    [InlineData("'); DROP TABLE BoardMessages; --")]
    [InlineData("\" OR 1=1 --")]
    [InlineData("line one\n[00:00:00 ERR] forged log line")]
    [InlineData("nul\0inside")]
    public async Task Hostile_text_is_stored_and_shown_verbatim(string text)
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await TcpTestClient.ConnectAsync(server.BoardPort);
        await client.SendAsync($"POST{text}%GET1%\n");
        Assert.Equal(
            "MSGPosting Message!%MSG" + PythonRepr.FormatMessageList([(2, text)]) + "%",
            await client.ReadRepliesAsync(2));
        await client.SendAsync("GET%\n");
        Assert.StartsWith("MSG[(1, 'Server has Started'), (2, ", await client.ReadRepliesAsync(1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connections_requests_errors_and_bytes_are_counted()
    {
        await using var server = await TestServer.StartAsync();
        await using (var client = await TcpTestClient.ConnectAsync(server.BoardPort))
        {
            await client.SendAsync("GET%nope%");
            client.ShutdownSend();
            await client.ReadToEndAsync();
        }

        var board = server.App.Services.GetRequiredService<ServerStats>().Dialects.Single(d => d.Dialect.Name == "board");
        Assert.Equal(server.BoardPort, board.Port);
        Assert.Equal(1, board.Total);
        Assert.Equal(0, board.Open);
        Assert.Equal(2, board.Requests);
        Assert.Equal(1, board.Errors);
        Assert.Equal("GET%nope%".Length, board.BytesIn);
        Assert.Equal("MSG[(1, 'Server has Started')]%ERRUnknown Command%".Length, board.BytesOut);
    }
}
