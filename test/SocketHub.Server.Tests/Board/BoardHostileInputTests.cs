using System.Net;
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
    public async Task Random_bytes_from_many_clients_never_take_the_server_down()
    {
        await using var server = await TestServer.StartAsync("Board:IdleTimeoutSeconds=5");
        var random = new Random(20261121);
        var blobs = Enumerable.Range(0, 40).Select(i =>
        {
            var blob = new byte[random.Next(1, 9000)];
            random.NextBytes(blob);
            return blob;
        }).ToList();

        await Task.WhenAll(blobs.Select(async blob =>
        {
            await using var client = await TcpTestClient.ConnectAsync(server.BoardPort);
            try
            {
                await client.SendAsync(blob);
                client.ShutdownSend();
                var reply = await client.ReadToEndAsync();
                Assert.True(reply.Length == 0 || reply.EndsWith('%'), reply);
            }
            catch (IOException)
            {
                // The server may close on an over-long frame while we are still sending.
            }
            catch (System.Net.Sockets.SocketException)
            {
            }
        }));

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.OpsPort}") };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
        await using var normal = await TcpTestClient.ConnectAsync(server.BoardPort);
        await normal.SendAsync("POSTstill here%\n");
        Assert.Equal("MSGPosting Message!%", await normal.ReadRepliesAsync(1));
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
